// Application actors, the registry and the admin actor, against a real writer and database, on
// a clock the test moves by hand (timers are driven by asking the actor to check its deadline).

#include "actors/admin.hpp"
#include "actors/application.hpp"
#include "actors/registry.hpp"
#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "persistence/application_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"
#include "util/uuid.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <future>

using namespace hb;
using namespace std::chrono_literals;
namespace bdata = boost::unit_test::data;

namespace {

struct world {
  explicit world(db_backend backend, clock_fn now) : db{backend}, sys{cfg}, clock{std::move(now)} {
    writer_options options;
    options.database = db.url();
    options.max_delay = 0us;
    options.log = std::make_shared<const logger>(log_level::error);
    writer = spawn_writer(sys, options);
    apps = spawn_registry(sys, 4, application_context{writer, clock, options.log, {}});
    admin = spawn_admin(sys, writer, apps, clock);
  }
  ~world() {
    caf::scoped_actor self{sys};
    self->monitor(writer);
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
    caf::anon_send_exit(admin, caf::exit_reason::user_shutdown);
    stop_registry(apps);
  }

  application_op_result apply(application_op op, const std::string& uuid = "") {
    std::promise<std::pair<caf::error, application_op_result>> done;
    auto answer = done.get_future();
    caf::anon_send(admin, apply_atom::value, std::move(op), uuid,
                   op_completion{[&done](const caf::error& err, application_op_result r) {
                     done.set_value({err, std::move(r)});
                   }});
    auto [err, result] = answer.get();
    BOOST_TEST_REQUIRE(!err, error_text(err));
    return result;
  }

  application_record create(std::int64_t interval, std::int64_t grace) {
    auto r = apply(application_create{{"app", interval, grace}, new_uuid_v4(), clock()});
    BOOST_TEST_REQUIRE(r.has_value());
    return *r;
  }

  caf::error heartbeat(const std::string& uuid, timestamp at) {
    std::promise<caf::error> done;
    auto answer = done.get_future();
    caf::anon_send(apps.shard_for(uuid), heartbeat_atom::value, uuid, at, std::string{"::1"},
                   completion{[&done](const caf::error& err) { done.set_value(err); }});
    return answer.get();
  }

  template <class... Ts>
  auto ask(const std::string& uuid, Ts... xs) {
    caf::scoped_actor self{sys};
    using result = std::conditional_t<std::is_same_v<check_atom, std::tuple_element_t<0, std::tuple<Ts...>>>, bool, app_snapshot>;
    result out{};
    self->request(apps.shard_for(uuid), 5s, xs..., uuid)
      .receive([&](result& r) { out = r; },
               [&](caf::error& err) { BOOST_FAIL(error_text(err)); });
    return out;
  }

  std::vector<std::string> transitions(std::int64_t id) {
    std::vector<std::string> out;
    std::string from, to;
    long long key = id;
    soci::statement st = (db.session().prepare << "SELECT from_status, to_status FROM "
                                                  "status_changes WHERE application_id = :id "
                                                  "ORDER BY id",
                          soci::use(key), soci::into(from), soci::into(to));
    st.execute();
    while (st.fetch())
      out.push_back(from + "->" + to);
    return out;
  }

  /// Status changes are recorded after the heartbeat or check that caused them: wait for them.
  std::vector<std::string> transitions_eventually(std::int64_t id, std::size_t count) {
    for (int i = 0; i < 200; ++i) {
      auto t = transitions(id);
      if (t.size() >= count)
        return t;
      std::this_thread::sleep_for(10ms);
    }
    return transitions(id);
  }

  test_database db;
  system_config cfg{2};
  caf::actor_system sys;
  clock_fn clock;
  writer_actor writer;
  registry apps;
  admin_actor admin;
};

} // namespace

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
  BOOST_TEST(w.ask(app.uuid, check_atom::value)); // exactly at the deadline
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

BOOST_DATA_TEST_CASE(a_shorter_interval_takes_effect_at_once, bdata::make(all_backends),
                     backend) {
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
  BOOST_TEST((w.transitions_eventually(app.id, 2) ==
              std::vector<std::string>{"new->up", "up->down"}));
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
  BOOST_TEST((w.transitions_eventually(app.id, 2) ==
              std::vector<std::string>{"new->up", "up->paused"}));
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
  BOOST_TEST((w.transitions_eventually(app.id, 2) ==
              std::vector<std::string>{"new->up", "up->down"}));
}

BOOST_AUTO_TEST_SUITE_END()
