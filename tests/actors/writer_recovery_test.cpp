// The writer against a PostgreSQL server that goes away and comes back. The cluster is this
// test's own (not the shared one of scripts/test.sh), since the test stops it.

#include "support/pg_cluster.hpp"
#include "support/writer_client.hpp"

#include "actors/writer.hpp"
#include "persistence/application_store.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(writes_fail_while_postgresql_is_down_and_recover_when_it_returns) {
  pg_cluster cluster;
  auto url = parse_database_url(cluster.conninfo());
  std::int64_t app_id = 0;
  {
    auto s = open_session(url);
    apply_migrations(*s, url.backend);
    app_id = insert_application(*s, url.backend, {"app", 60, 0}, system_now()).id;
  }
  system_config cfg{2};
  caf::actor_system sys{cfg};
  writer_options options;
  options.database = url;
  options.log = std::make_shared<const logger>(log_level::warn);
  auto writer = spawn_writer(sys, options);
  auto beat = [&] { return heartbeat_event{app_id, system_now(), ""}; };

  BOOST_TEST_REQUIRE(!record_async(sys, writer, beat()).get());

  cluster.stop();
  int failed = 0;
  for (int i = 0; i < 5; ++i) {
    auto answer = record_async(sys, writer, beat());
    BOOST_TEST_REQUIRE((answer.wait_for(10s) == std::future_status::ready));
    auto err = answer.get();
    BOOST_TEST(static_cast<bool>(err), "a write was acknowledged while the database was down");
    failed += err ? 1 : 0;
    std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST(failed == 5);

  cluster.start();
  bool recovered = false;
  for (int attempt = 0; attempt < 100 && !recovered; ++attempt) {
    recovered = !record_async(sys, writer, beat()).get();
    if (!recovered)
      std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST_REQUIRE(recovered);
  for (int i = 0; i < 10; ++i)
    BOOST_TEST(!record_async(sys, writer, beat()).get());

  auto s = open_session(url);
  BOOST_TEST(count_heartbeats(*s, app_id) == 12); // 1 before, 1 on recovery, 10 after; 0 lost
  caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
}
