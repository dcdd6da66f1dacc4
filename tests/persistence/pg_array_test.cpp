#include "persistence/pg_array.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;

BOOST_AUTO_TEST_CASE(arrays_of_numbers_and_escaped_text) {
  pg_array_builder numbers;
  BOOST_TEST(pg_array_builder{}.finish() == "{}");
  numbers.add(std::int64_t{1});
  numbers.add(std::int64_t{-2});
  BOOST_TEST(numbers.finish() == "{1,-2}");
  pg_array_builder text;
  text.add(std::string_view{"a"});
  text.add(std::string_view{""});
  text.add(std::string_view{R"(q"b\s,{})"});
  BOOST_TEST(text.finish() == R"({"a","","q\"b\\s,{}"})");
}
