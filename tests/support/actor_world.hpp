#pragma once

// A running set of actors for tests: writer, registry and admin actor on a fresh database of
// one backend, with a clock the test chooses.

#include "support/test_database.hpp"

#include "actors/admin.hpp"
#include "actors/application.hpp"
#include "actors/registry.hpp"
#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "util/uuid.hpp"

#include <boost/test/unit_test.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

namespace hb {

struct world {
  explicit world(db_backend backend, clock_fn now,
                 std::chrono::microseconds last_heartbeat_flush = std::chrono::seconds{1})
      : db{backend}, sys{cfg}, clock{std::move(now)} {
    writer_options options;
    options.database = db.url();
    options.max_delay = std::chrono::microseconds{0};
    options.last_heartbeat_flush = last_heartbeat_flush;
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
    const auto key = parse_uuid(uuid).value();
    caf::anon_send(apps.shard_for(key), heartbeat_atom::value, key, at, std::string{"::1"},
                   completion{[&done](const caf::error& err) { done.set_value(err); }});
    return answer.get();
  }

  template <class... Ts> auto ask(const std::string& uuid, Ts... xs) {
    caf::scoped_actor self{sys};
    using result =
        std::conditional_t<std::is_same_v<check_atom, std::tuple_element_t<0, std::tuple<Ts...>>>,
                           bool, app_snapshot>;
    result out{};
    self->request(apps.shard_for(uuid), std::chrono::seconds{5}, xs..., uuid)
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
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
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

} // namespace hb
