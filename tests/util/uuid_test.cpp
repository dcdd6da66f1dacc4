#include "util/uuid.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <unordered_set>

using namespace hb;

BOOST_AUTO_TEST_CASE(a_uuid_key_holds_the_128_bits_and_prints_back_in_lower_case) {
  const auto key = parse_uuid("0123456F-89ab-cdef-0123-456789ABCDEF");
  BOOST_TEST_REQUIRE(key.has_value());
  BOOST_TEST(key->high == 0x0123456f89abcdefULL);
  BOOST_TEST(key->low == 0x0123456789abcdefULL);
  BOOST_TEST(to_string(*key) == "0123456f-89ab-cdef-0123-456789abcdef");
  BOOST_TEST((parse_uuid("0123456f-89ab-cdef-0123-456789abcdef") == key));
}

BOOST_AUTO_TEST_CASE(only_the_canonical_form_parses) {
  for (const char* bad :
       {"", "not-a-uuid", "0123456789abcdef0123456789abcdef0123",
        "0123456g-89ab-cdef-0123-456789abcdef",
        "0123456f-89ab-cdef-0123-456789abcde", // 35 characters
        "0123456f-89ab-cdef-0123-456789abcdef0", "{123456f-89ab-cdef-0123-456789abcde}",
        "0123456f 89ab-cdef-0123-456789abcdef"})
    BOOST_TEST(!parse_uuid(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(new_uuids_round_trip_and_their_keys_differ) {
  std::unordered_set<uuid_key, uuid_key_hash> keys;
  for (int i = 0; i < 1000; ++i) {
    const auto uuid = new_uuid_v4();
    const auto key = parse_uuid(uuid);
    BOOST_TEST_REQUIRE(key.has_value());
    BOOST_TEST(to_string(*key) == uuid);
    keys.insert(*key);
  }
  BOOST_TEST(keys.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(uuids_are_version_4_and_canonical) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto uuid = new_uuid_v4();
    BOOST_TEST(parse_uuid(uuid).has_value());
    BOOST_TEST(uuid[14] == '4');
    BOOST_TEST(std::string{"89ab"}.find(uuid[19]) != std::string::npos);
    seen.insert(uuid);
  }
  BOOST_TEST(seen.size() == 100u);
  BOOST_TEST(!parse_uuid("not-a-uuid").has_value());
  BOOST_TEST(!parse_uuid("0123456789abcdef0123456789abcdef0123").has_value());
  BOOST_TEST(!parse_uuid("0123456g-89ab-cdef-0123-456789abcdef").has_value());
  BOOST_TEST(parse_uuid("0123456F-89ab-cdef-0123-456789abcdef").has_value());
}
