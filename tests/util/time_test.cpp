#include "util/time.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <ctime>
#include <string>

using namespace hb;

BOOST_AUTO_TEST_CASE(timestamps_print_as_iso8601_utc_with_microseconds) {
  BOOST_TEST(to_iso8601(from_micros(0)) == "1970-01-01T00:00:00.000000Z");
  BOOST_TEST(to_iso8601(from_micros(1795000000123456)) == "2026-11-18T11:06:40.123456Z");
}

BOOST_AUTO_TEST_CASE(micros_round_trip) {
  const auto now = system_now();
  BOOST_TEST((from_micros(to_micros(now)) == now));
}

BOOST_AUTO_TEST_CASE(timestamps_are_utc_whatever_the_hosts_time_zone) {
  // Restores the zone even when a check fails, so later tests see the one they started with.
  struct zone {
    std::string saved = std::getenv("TZ") ? std::getenv("TZ") : "";
    bool had = std::getenv("TZ") != nullptr;
    zone() {
      setenv("TZ", "Asia/Tokyo", 1);
      tzset();
    }
    ~zone() {
      if (had)
        setenv("TZ", saved.c_str(), 1);
      else
        unsetenv("TZ");
      tzset();
    }
  } tokyo;
  BOOST_TEST(to_iso8601(from_micros(0)) == "1970-01-01T00:00:00.000000Z");
  BOOST_TEST(to_iso8601(from_micros(-1)) == "1969-12-31T23:59:59.999999Z");
  BOOST_TEST(to_iso8601(from_micros(1795000000123456)) == "2026-11-18T11:06:40.123456Z");
}
