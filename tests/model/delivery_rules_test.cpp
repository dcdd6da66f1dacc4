#include "model/alert_rules.hpp"
#include "model/delivery_rules.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;
using kind = alerts::notification_kind;
using state = notification_outcome::state;

BOOST_AUTO_TEST_SUITE(delivery_rules_suite)

BOOST_AUTO_TEST_CASE(only_going_down_and_recovering_alert) {
  BOOST_TEST((alert_for(app_status::up, app_status::down) == kind::down));
  BOOST_TEST((alert_for(app_status::down, app_status::up) == kind::up));
  BOOST_TEST(!alert_for(app_status::new_, app_status::up));
  BOOST_TEST(!alert_for(app_status::up, app_status::paused));
  BOOST_TEST(!alert_for(app_status::down, app_status::paused));
  BOOST_TEST(!alert_for(app_status::paused, app_status::down)); // resumed while down
  BOOST_TEST(!alert_for(app_status::paused, app_status::up));
}

BOOST_AUTO_TEST_CASE(backoff_doubles_with_jitter_and_is_capped) {
  retry_limits limits{10, 1000ms, 10000ms};
  BOOST_TEST(retry_delay(1, limits, 0.0, {}).count() == 500);
  BOOST_TEST(retry_delay(1, limits, 0.999999, {}).count() == 999);
  BOOST_TEST(retry_delay(2, limits, 0.0, {}).count() == 1000);
  BOOST_TEST(retry_delay(3, limits, 0.5, {}).count() == 3000);
  BOOST_TEST(retry_delay(30, limits, 0.0, {}).count() == 5000); // capped, still jittered
  BOOST_TEST(retry_delay(1000, limits, 1.0, {}).count() == 10000);
}

BOOST_AUTO_TEST_CASE(retry_after_wins_up_to_the_cap) {
  retry_limits limits{10, 1000ms, 60000ms};
  BOOST_TEST(retry_delay(1, limits, 0.0, 7s).count() == 7000);
  BOOST_TEST(retry_delay(1, limits, 0.0, 3600s).count() == 60000);
}

BOOST_AUTO_TEST_CASE(outcomes_follow_the_error_kind_and_the_attempt_limit) {
  retry_limits limits{3, 1000ms, 60000ms};
  const timestamp now = from_micros(1'000'000'000);
  auto ok = decide_outcome(7, 1, std::nullopt, true, now, limits, 0.0);
  BOOST_TEST((ok.what == state::delivered));
  BOOST_TEST(ok.last_error.empty());

  auto transient =
      decide_outcome(7, 1, alerts::delivery_error{"HTTP 503", false, {}}, true, now, limits, 0.0);
  BOOST_TEST((transient.what == state::retry));
  BOOST_TEST_REQUIRE(transient.next_attempt.has_value());
  BOOST_TEST((*transient.next_attempt - now == 500ms));

  auto permanent =
      decide_outcome(7, 1, alerts::delivery_error{"HTTP 400", true, {}}, true, now, limits, 0.0);
  BOOST_TEST((permanent.what == state::failed));
  BOOST_TEST(permanent.last_error == "HTTP 400");

  auto exhausted =
      decide_outcome(7, 3, alerts::delivery_error{"timeout", false, {}}, true, now, limits, 0.0);
  BOOST_TEST((exhausted.what == state::failed));
  BOOST_TEST(exhausted.last_error == "gave up after 3 attempts: timeout");

  auto test_once =
      decide_outcome(7, 1, alerts::delivery_error{"HTTP 503", false, {}}, false, now, limits, 0.0);
  BOOST_TEST((test_once.what == state::failed));
}

BOOST_AUTO_TEST_CASE(the_pace_allows_a_burst_then_the_rate) {
  delivery_pace pace{100}; // 100/s: bursts of 10, then one every 10 ms
  const auto t0 = delivery_pace::clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i)
    BOOST_TEST(pace.take(t0).count() == 0);
  BOOST_TEST(pace.take(t0).count() == 10);
  BOOST_TEST(pace.take(t0 + 10ms).count() == 0);
  BOOST_TEST(pace.take(t0 + 10ms).count() > 0);
  BOOST_TEST(pace.take(t0 + 1h).count() == 0); // a long pause refills only the burst
  int allowed = 1;
  while (pace.take(t0 + 1h).count() == 0)
    ++allowed;
  BOOST_TEST(allowed == 10);
}

BOOST_AUTO_TEST_CASE(error_texts_become_valid_utf8) {
  BOOST_TEST(valid_utf8("HTTP 500: ok") == "HTTP 500: ok");
  BOOST_TEST(valid_utf8("gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x92\xA5") ==
             "gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x92\xA5");
  BOOST_TEST(valid_utf8("ung\xFCltig") == "ung?ltig");             // Latin-1
  BOOST_TEST(valid_utf8("cut \xE2\x9C") == "cut ??");              // truncated sequence
  BOOST_TEST(valid_utf8("\xC0\xAF") == "??");                      // overlong '/'
  BOOST_TEST(valid_utf8("\xED\xA0\x80") == "???");                // a surrogate
  auto outcome = decide_outcome(1, 1, alerts::delivery_error{"HTTP 500: \xFC", false, {}}, true,
                                from_micros(0), retry_limits{}, 0.0);
  BOOST_TEST(outcome.last_error == "HTTP 500: ?");
}

BOOST_AUTO_TEST_CASE(no_rate_never_waits) {
  delivery_pace pace{0};
  for (int i = 0; i < 100000; ++i)
    BOOST_TEST_REQUIRE(pace.take(delivery_pace::clock::time_point{}).count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
