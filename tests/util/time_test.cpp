#include "util/time.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;

BOOST_AUTO_TEST_CASE(timestamps_print_as_iso8601_utc_with_microseconds) {
  BOOST_TEST(to_iso8601(from_micros(0)) == "1970-01-01T00:00:00.000000Z");
  BOOST_TEST(to_iso8601(from_micros(1795000000123456)) == "2026-11-18T11:06:40.123456Z");
}

BOOST_AUTO_TEST_CASE(micros_round_trip) {
  const auto now = system_now();
  BOOST_TEST((from_micros(to_micros(now)) == now));
}
