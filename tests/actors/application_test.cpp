// Application actors, the registry and the admin actor, against a real writer and database, on
// a clock the test moves by hand (timers are driven by asking the actor to check its deadline).

#include "support/actor_world.hpp"
#include "support/fake_clock.hpp"

#include "persistence/application_store.hpp"
#include "util/uuid.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(application_actors)

BOOST_DATA_TEST_CASE(a_heartbeat_is_committed_and_brings_a_new_application_up,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(60, 10);
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::new_));
  BOOST_TEST(!w.heartbeat(app.uuid, clock.now()));
  BOOST_TEST(count_heartbeats(w.db.session(), app.id) == 1); // committed when answered
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::up));
  BOOST_TEST(w.transitions_eventually(app.id, 1) == std::vector<std::string>{"new->up"});
}

BOOST_DATA_TEST_CASE(an_unknown_uuid_is_refused, bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto err = w.heartbeat(new_uuid_v4(), clock.now());
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  BOOST_TEST(err.code() == static_cast<std::uint8_t>(errc::unknown_application));
}

BOOST_DATA_TEST_CASE(the_deadline_moves_it_down_once_and_a_heartbeat_brings_it_back,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(60, 10);
  w.heartbeat(app.uuid, clock.now());
  clock.advance(65s);
  BOOST_TEST(!w.ask(app.uuid, check_atom::value)); // late, not down
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::late));
  clock.advance(5s);
  BOOST_TEST(w.ask(app.uuid, check_atom::value));  // exactly at the deadline
  BOOST_TEST(!w.ask(app.uuid, check_atom::value)); // once
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::down));
  BOOST_TEST(!w.heartbeat(app.uuid, clock.now()));
  BOOST_TEST((w.transitions_eventually(app.id, 3) ==
              std::vector<std::string>{"new->up", "up->down", "down->up"}));
  auto stored = find_application(w.db.session(), backend, app.id);
  BOOST_TEST((stored->status == app_status::up));
}

BOOST_DATA_TEST_CASE(many_heartbeats_keep_a_single_pending_timer, bdata::make(all_backends),
                     backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(3600, 0);
  std::vector<std::future<caf::error>> answers;
  for (int i = 0; i < 500; ++i) {
    clock.advance(1s);
    BOOST_TEST(!w.heartbeat(app.uuid, clock.now()));
  }
  auto snap = w.ask(app.uuid, get_atom::value);
  BOOST_TEST(snap.timers_set == 1u); // the deadline only moved later: the first timer re-arms
  BOOST_TEST((snap.down_after == std::optional{clock.now() + 3600s}));
  BOOST_TEST(count_heartbeats(w.db.session(), app.id) == 500);
}

BOOST_DATA_TEST_CASE(a_shorter_interval_takes_effect_at_once, bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(3600, 0);
  w.heartbeat(app.uuid, clock.now());
  clock.advance(120s);
  application_patch patch;
  patch.expected_interval_s = 60;
  auto updated = w.apply(application_update{app.id, patch, clock.now()});
  BOOST_TEST(updated->expected_interval_s == 60);
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::down));
  BOOST_TEST(
      (w.transitions_eventually(app.id, 2) == std::vector<std::string>{"new->up", "up->down"}));
}

BOOST_DATA_TEST_CASE(a_paused_application_is_recorded_but_never_goes_down,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(60, 0);
  w.heartbeat(app.uuid, clock.now());
  application_patch pause;
  pause.is_active = false;
  w.apply(application_update{app.id, pause, clock.now()});
  clock.advance(24h);
  BOOST_TEST(!w.ask(app.uuid, check_atom::value));
  BOOST_TEST(!w.heartbeat(app.uuid, clock.now()));
  BOOST_TEST(count_heartbeats(w.db.session(), app.id) == 2);
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::paused));
  BOOST_TEST(
      (w.transitions_eventually(app.id, 2) == std::vector<std::string>{"new->up", "up->paused"}));
  auto stored = find_application(w.db.session(), backend, app.id);
  BOOST_TEST(!stored->is_active);
}

BOOST_DATA_TEST_CASE(a_deleted_application_stops_answering_and_its_history_is_gone,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto app = w.create(60, 0);
  w.heartbeat(app.uuid, clock.now());
  auto deleted = w.apply(application_delete{app.id}, app.uuid);
  BOOST_TEST_REQUIRE(deleted.has_value());
  auto err = w.heartbeat(app.uuid, clock.now());
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  BOOST_TEST(err.code() == static_cast<std::uint8_t>(errc::unknown_application));
  BOOST_TEST(!find_application(w.db.session(), backend, app.id).has_value());
  BOOST_TEST(count_heartbeats(w.db.session(), app.id) == 0);
  BOOST_TEST(!w.apply(application_delete{app.id}, app.uuid).has_value()); // already gone
}

BOOST_DATA_TEST_CASE(with_real_timers_an_application_is_down_within_a_second_of_its_deadline,
                     bdata::make(all_backends), backend) {
  world w{backend, system_now};
  auto app = w.create(1, 1);
  const auto beat = system_now();
  w.heartbeat(app.uuid, beat);
  const auto deadline = beat + 2s;
  while (w.ask(app.uuid, get_atom::value).status != app_status::down) {
    BOOST_TEST_REQUIRE((system_now() < deadline + 3s));
    std::this_thread::sleep_for(10ms);
  }
  const auto noticed = system_now();
  BOOST_TEST_MESSAGE("down " << (noticed - deadline).count() << " us after the deadline");
  BOOST_TEST((noticed - deadline < 1s));
  BOOST_TEST(
      (w.transitions_eventually(app.id, 2) == std::vector<std::string>{"new->up", "up->down"}));
}

BOOST_AUTO_TEST_SUITE_END()
