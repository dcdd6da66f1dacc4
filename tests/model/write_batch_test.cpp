#include "model/write_batch.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;

BOOST_AUTO_TEST_CASE(newest_heartbeat_per_application_keeps_the_latest_time_of_each) {
  const auto t = [](std::int64_t s) { return from_micros(s * 1'000'000); };
  std::vector<heartbeat_event> events{{1, t(10), ""}, {2, t(5), ""}, {1, t(30), ""},
                                      {1, t(20), ""}, {3, t(1), ""}, {2, t(4), ""}};
  auto newest = newest_heartbeat_per_application(events);
  BOOST_TEST_REQUIRE(newest.size() == 3u);
  BOOST_TEST(newest[0].first == 1);
  BOOST_TEST((newest[0].second == t(30)));
  BOOST_TEST(newest[1].first == 2);
  BOOST_TEST((newest[1].second == t(5)));
  BOOST_TEST(newest[2].first == 3);
  BOOST_TEST((newest[2].second == t(1)));
}

BOOST_AUTO_TEST_CASE(an_empty_batch_has_nothing_to_coalesce) {
  BOOST_TEST(newest_heartbeat_per_application({}).empty());
  BOOST_TEST(write_batch{}.empty());
}

BOOST_AUTO_TEST_CASE(coalesced_values_keep_the_order_in_which_applications_first_appear) {
  const auto t = [](std::int64_t s) { return from_micros(s * 1'000'000); };
  std::vector<heartbeat_event> events{
      {9, t(1), ""}, {4, t(2), ""}, {9, t(3), ""}, {7, t(4), ""}, {4, t(1), ""}};
  const auto newest = newest_heartbeat_per_application(events);
  const std::vector<last_heartbeat_update> expected{{9, t(3)}, {4, t(2)}, {7, t(4)}};
  BOOST_TEST((newest == expected));
}
