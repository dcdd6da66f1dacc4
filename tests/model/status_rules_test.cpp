#include "model/status_rules.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;

namespace {

const timestamp t0 = from_micros(1'800'000'000'000'000);

app_clock beating(std::chrono::seconds interval, std::chrono::seconds grace, timestamp last) {
  app_clock c;
  c.interval = interval;
  c.grace = grace;
  c.last_heartbeat = last;
  c.window_start = last;
  c.latched = app_status::up;
  return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(status_rules)

BOOST_AUTO_TEST_CASE(a_new_application_has_no_deadline_until_its_first_heartbeat) {
  app_clock c;
  BOOST_TEST((status_at(c, t0 + 24h * 365) == app_status::new_));
  BOOST_TEST(!down_after(c).has_value());
  BOOST_TEST(!on_deadline(c, t0 + 24h).has_value());
}

BOOST_AUTO_TEST_CASE(up_inside_the_interval_late_inside_the_grace_period_down_at_the_deadline) {
  auto c = beating(60s, 10s, t0);
  BOOST_TEST((status_at(c, t0) == app_status::up));
  BOOST_TEST((status_at(c, t0 + 60s - 1us) == app_status::up));
  BOOST_TEST((status_at(c, t0 + 60s) == app_status::late)); // interval boundary
  BOOST_TEST((status_at(c, t0 + 70s - 1us) == app_status::late));
  BOOST_TEST((status_at(c, t0 + 70s) == app_status::down)); // exact deadline
  BOOST_TEST((*down_after(c) == t0 + 70s));
  BOOST_TEST((*late_after(c) == t0 + 60s));
}

BOOST_AUTO_TEST_CASE(without_grace_late_never_shows) {
  auto c = beating(30s, 0s, t0);
  BOOST_TEST((status_at(c, t0 + 30s - 1us) == app_status::up));
  BOOST_TEST((status_at(c, t0 + 30s) == app_status::down));
}

BOOST_AUTO_TEST_CASE(the_deadline_moves_it_down_exactly_once) {
  auto c = beating(60s, 10s, t0);
  BOOST_TEST(!on_deadline(c, t0 + 70s - 1us).has_value()); // a timer that fired early
  auto down = on_deadline(c, t0 + 70s);
  BOOST_TEST_REQUIRE(down.has_value());
  BOOST_TEST((down->from == app_status::up));
  BOOST_TEST((down->to == app_status::down));
  BOOST_TEST(!on_deadline(c, t0 + 80s).has_value());
  BOOST_TEST(!on_deadline(c, t0 + 1000s).has_value());
  BOOST_TEST((status_at(c, t0 + 1000s) == app_status::down));
}

BOOST_AUTO_TEST_CASE(the_first_heartbeat_brings_a_new_application_up) {
  app_clock c;
  auto changes = on_heartbeat(c, t0);
  BOOST_TEST_REQUIRE(changes.size() == 1u);
  BOOST_TEST((changes[0].from == app_status::new_));
  BOOST_TEST((changes[0].to == app_status::up));
  BOOST_TEST((*down_after(c) == t0 + c.interval + c.grace));
}

BOOST_AUTO_TEST_CASE(a_heartbeat_moves_the_deadline_without_a_transition_while_up_or_late) {
  auto c = beating(60s, 10s, t0);
  BOOST_TEST(on_heartbeat(c, t0 + 30s).empty());
  BOOST_TEST((*down_after(c) == t0 + 100s));
  BOOST_TEST(on_heartbeat(c, t0 + 95s).empty()); // late, not down
  BOOST_TEST((*down_after(c) == t0 + 165s));
}

BOOST_AUTO_TEST_CASE(a_heartbeat_after_down_sends_recovery) {
  auto c = beating(60s, 0s, t0);
  on_deadline(c, t0 + 60s);
  auto changes = on_heartbeat(c, t0 + 500s);
  BOOST_TEST_REQUIRE(changes.size() == 1u);
  BOOST_TEST((changes[0].from == app_status::down));
  BOOST_TEST((changes[0].to == app_status::up));
  BOOST_TEST((status_at(c, t0 + 500s) == app_status::up));
}

BOOST_AUTO_TEST_CASE(a_heartbeat_past_an_unhandled_deadline_records_down_then_up) {
  auto c = beating(60s, 0s, t0);
  auto changes = on_heartbeat(c, t0 + 61s); // the timer had not fired yet
  BOOST_TEST_REQUIRE(changes.size() == 2u);
  BOOST_TEST((changes[0].to == app_status::down));
  BOOST_TEST((changes[0].at == t0 + 60s));
  BOOST_TEST((changes[1].from == app_status::down));
  BOOST_TEST((changes[1].to == app_status::up));
}

BOOST_AUTO_TEST_CASE(an_older_heartbeat_never_moves_last_heartbeat_back) {
  auto c = beating(60s, 0s, t0);
  on_heartbeat(c, t0 - 5s);
  BOOST_TEST((*c.last_heartbeat == t0));
}

BOOST_AUTO_TEST_CASE(a_paused_application_never_goes_down_and_heartbeats_do_not_unpause_it) {
  auto c = beating(60s, 0s, t0);
  auto pause = set_active(c, false, t0 + 1s);
  BOOST_TEST_REQUIRE(pause.has_value());
  BOOST_TEST((pause->to == app_status::paused));
  BOOST_TEST((status_at(c, t0 + 24h) == app_status::paused));
  BOOST_TEST(!on_deadline(c, t0 + 24h).has_value());
  BOOST_TEST(on_heartbeat(c, t0 + 2h).empty());
  BOOST_TEST((*c.last_heartbeat == t0 + 2h)); // recorded all the same
  BOOST_TEST((status_at(c, t0 + 2h) == app_status::paused));
  BOOST_TEST(!set_active(c, false, t0 + 3h).has_value()); // already paused
}

BOOST_AUTO_TEST_CASE(resuming_gives_a_full_window_from_the_resume) {
  auto c = beating(60s, 10s, t0);
  set_active(c, false, t0 + 1s);
  auto resume = set_active(c, true, t0 + 24h);
  BOOST_TEST_REQUIRE(resume.has_value());
  BOOST_TEST((resume->from == app_status::paused));
  BOOST_TEST((resume->to == app_status::up));
  BOOST_TEST((status_at(c, t0 + 24h + 69s) == app_status::late));
  BOOST_TEST((*down_after(c) == t0 + 24h + 70s));
}

BOOST_AUTO_TEST_CASE(after_a_restart_an_up_application_gets_a_full_window_from_start_up) {
  auto stored = beating(60s, 10s, t0);
  const auto startup = t0 + 2h; // heartbeatd was down for two hours
  auto c = on_restart(stored, startup);
  BOOST_TEST((status_at(c, startup) == app_status::up));
  BOOST_TEST((*down_after(c) == startup + 70s));
  BOOST_TEST(!on_deadline(c, startup + 69s).has_value());
  BOOST_TEST(on_deadline(c, startup + 70s).has_value());
}

BOOST_AUTO_TEST_CASE(after_a_restart_a_recent_heartbeat_keeps_its_own_window) {
  auto stored = beating(3600s, 0s, t0);
  auto c = on_restart(stored, t0 + 10s);            // restarted ten seconds after a heartbeat
  BOOST_TEST((*down_after(c) == t0 + 10s + 3600s)); // never shorter than a full window
}

BOOST_AUTO_TEST_CASE(after_a_restart_a_down_application_stays_down_without_a_new_transition) {
  auto stored = beating(60s, 0s, t0);
  stored.latched = app_status::down;
  auto c = on_restart(stored, t0 + 1h);
  BOOST_TEST((status_at(c, t0 + 1h) == app_status::down));
  BOOST_TEST(!on_deadline(c, t0 + 2h).has_value());
  auto changes = on_heartbeat(c, t0 + 2h);
  BOOST_TEST_REQUIRE(changes.size() == 1u);
  BOOST_TEST((changes[0].from == app_status::down));
}

BOOST_AUTO_TEST_CASE(after_a_restart_new_and_late_are_handled) {
  app_clock fresh;
  BOOST_TEST((status_at(on_restart(fresh, t0), t0 + 24h) == app_status::new_));
  auto late = beating(60s, 60s, t0);
  late.latched = app_status::late; // stored by an older version: treated as up
  auto c = on_restart(late, t0 + 90s);
  BOOST_TEST((status_at(c, t0 + 90s) == app_status::up));
}

BOOST_AUTO_TEST_CASE(a_shorter_interval_takes_effect_from_the_last_heartbeat) {
  auto c = beating(3600s, 0s, t0);
  c.interval = 60s;
  BOOST_TEST((*down_after(c) == t0 + 60s));
  BOOST_TEST(on_deadline(c, t0 + 61s).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
