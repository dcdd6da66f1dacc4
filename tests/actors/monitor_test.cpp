// The heartbeat monitor's sweep and pruning, with real actors and database and a hand-moved
// clock (so that an application's own timer cannot fire during the test: the sweep must act).

#include "support/actor_world.hpp"
#include "support/fake_clock.hpp"

#include "actors/monitor.hpp"
#include "persistence/application_store.hpp"
#include "persistence/sql_time.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;
namespace bdata = boost::unit_test::data;

namespace {

monitor_actor make_monitor(world& w, std::size_t retention = 1000, std::size_t prune_batch = 500) {
  monitor_options options;
  options.database = w.db.url();
  options.retention = retention;
  options.prune_batch = prune_batch;
  options.apps = w.apps;
  options.now = w.clock;
  options.log = std::make_shared<const logger>(log_level::error);
  options.periodic = false;
  return spawn_monitor(w.sys, options);
}

sweep_report sweep(world& w, const monitor_actor& m) {
  caf::scoped_actor self{w.sys};
  sweep_report report;
  self->request(m, 30s, check_atom::value)
      .receive([&](sweep_report& r) { report = r; },
               [](caf::error& err) { BOOST_FAIL(error_text(err)); });
  return report;
}

// The writer stores last_heartbeat lazily; the sweep reads the stored value.
void wait_until_stored(world& w, std::int64_t id) {
  for (int i = 0; i < 200; ++i) {
    long long key = id;
    soci::indicator ind = soci::i_null;
    long long value = 0;
    w.db.session() << "SELECT " + sql_read_time(w.db.backend(), "last_heartbeat") +
                          " FROM applications WHERE id = :id",
        soci::use(key), soci::into(value, ind);
    if (ind == soci::i_ok)
      return;
    std::this_thread::sleep_for(10ms);
  }
  BOOST_FAIL("last_heartbeat was never stored");
}

struct stopper {
  world& w;
  monitor_actor m;
  ~stopper() { caf::anon_send_exit(m, caf::exit_reason::user_shutdown); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(monitor)

BOOST_DATA_TEST_CASE(the_sweep_catches_an_application_whose_timer_did_not_fire,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn(), 0us};
  auto app = w.create(60, 0);
  w.heartbeat(app.uuid, clock.now());
  wait_until_stored(w, app.id);
  stopper s{w, make_monitor(w)};
  BOOST_TEST(sweep(w, s.m).candidates == 0u); // inside its window
  clock.advance(120s); // its timer is set for a minute of real time: it cannot fire now
  auto report = sweep(w, s.m);
  BOOST_TEST(report.candidates == 1u);
  BOOST_TEST(report.missed == 1u);
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::down));
  BOOST_TEST(
      (w.transitions_eventually(app.id, 2) == std::vector<std::string>{"new->up", "up->down"}));
  auto again = sweep(w, s.m);
  BOOST_TEST(again.candidates == 0u); // stored as down now: nothing to do, no second alert
  BOOST_TEST(w.transitions(app.id).size() == 2u);
}

BOOST_DATA_TEST_CASE(the_sweep_never_downs_an_application_inside_its_restart_window,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn(), 0us};
  auto app = w.create(60, 0);
  w.heartbeat(app.uuid, clock.now());
  wait_until_stored(w, app.id);
  // heartbeatd "restarts" 100 s later: the application gets a full window from then on.
  clock.advance(100s);
  caf::scoped_actor self{w.sys};
  self->request(w.apps.shard_for(app.uuid), 5s, spawn_atom::value,
                *find_application(w.db.session(), backend, app.id), clock.now())
      .receive([](ok_atom) {}, [](caf::error& err) { BOOST_FAIL(error_text(err)); });
  stopper s{w, make_monitor(w)};
  auto report = sweep(w, s.m);
  BOOST_TEST(report.candidates == 1u); // overdue by what the database holds...
  BOOST_TEST(report.missed == 0u);     // ...but the actor, the authority, knows better
  BOOST_TEST((w.ask(app.uuid, get_atom::value).status == app_status::up));
}

BOOST_DATA_TEST_CASE(pruning_keeps_the_newest_heartbeats_of_each_application,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  auto busy = w.create(60, 0);
  auto quiet = w.create(60, 0);
  for (int i = 0; i < 30; ++i) {
    clock.advance(1s);
    w.heartbeat(busy.uuid, clock.now());
  }
  w.heartbeat(quiet.uuid, clock.now());
  stopper s{w, make_monitor(w, 10)};
  auto report = sweep(w, s.m);
  BOOST_TEST(report.pruned == 20);
  BOOST_TEST(count_heartbeats(w.db.session(), busy.id) == 10);
  BOOST_TEST(count_heartbeats(w.db.session(), quiet.id) == 1);
  long long id = busy.id, oldest = 0;
  w.db.session() << "SELECT MIN(" + sql_read_time(backend, "received_at") +
                        ") FROM heartbeat_events WHERE application_id = :id",
      soci::use(id), soci::into(oldest);
  BOOST_TEST(oldest == to_micros(clock.now() - 9s)); // the ten newest stayed
}

BOOST_DATA_TEST_CASE(a_sweep_prunes_batch_after_batch_until_it_has_been_round_them_all,
                     bdata::make(all_backends), backend) {
  fake_clock clock{system_now()};
  world w{backend, clock.fn()};
  std::vector<application_record> apps;
  for (int a = 0; a < 5; ++a)
    apps.push_back(w.create(60, 0));
  for (int i = 0; i < 4; ++i) {
    clock.advance(1s);
    for (const auto& app : apps)
      w.heartbeat(app.uuid, clock.now());
  }
  // Two applications a batch: one sweep takes three batches to get round all five, and no more.
  stopper s{w, make_monitor(w, 1, 2)};
  auto report = sweep(w, s.m);
  BOOST_TEST(report.pruned == 15);
  BOOST_TEST(report.pruned_applications == 5u);
  for (const auto& app : apps)
    BOOST_TEST(count_heartbeats(w.db.session(), app.id) == 1);
  // The next sweep starts the next pass from the first application, and finds nothing to do.
  report = sweep(w, s.m);
  BOOST_TEST(report.pruned == 0);
  BOOST_TEST(report.pruned_applications == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
