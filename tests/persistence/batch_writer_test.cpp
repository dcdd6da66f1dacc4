#include "support/test_database.hpp"

#include "persistence/application_store.hpp"
#include "persistence/batch_writer.hpp"
#include "persistence/sql_time.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
namespace bdata = boost::unit_test::data;

namespace {

// Microsecond-exact times well away from "now", so that defaults cannot pass for them.
timestamp at(std::int64_t seconds, std::int64_t micros = 0) {
  return from_micros(1'700'000'000'000'000 + seconds * 1'000'000 + micros);
}

// Row by row: SOCI 4.0.3's SQLite backend truncates 64-bit values fetched into a vector.
std::vector<long long> received_times(test_database& db, std::int64_t app_id) {
  std::vector<long long> times;
  long long id = app_id, time = 0;
  soci::statement st =
      (db.session().prepare << "SELECT " + sql_read_time(db.backend(), "received_at") +
                                   " FROM heartbeat_events WHERE application_id "
                                   "= :id ORDER BY received_at",
       soci::use(id), soci::into(time));
  st.execute();
  while (st.fetch())
    times.push_back(time);
  return times;
}

std::optional<long long> stored_last_heartbeat(test_database& db, std::int64_t app_id) {
  long long id = app_id, value = 0;
  soci::indicator ind = soci::i_null;
  db.session() << "SELECT " + sql_read_time(db.backend(), "last_heartbeat") +
                      " FROM applications WHERE id = :id",
      soci::use(id), soci::into(value, ind);
  return ind == soci::i_ok ? std::optional{value} : std::nullopt;
}

} // namespace

BOOST_AUTO_TEST_SUITE(batch_writer_suite)

BOOST_DATA_TEST_CASE(a_batch_stores_every_heartbeat_exactly, bdata::make(all_backends), backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  auto b = insert_application(db.session(), backend, {"b", 60, 0}, system_now());
  write_batch batch;
  batch.heartbeats = {{a.id, at(10, 1), "10.0.0.1"},
                      {b.id, at(3), "::1"},
                      {a.id, at(30, 999999), R"(we"ird\addr)"},
                      {a.id, at(20), ""}};
  persist_batch(db.session(), backend, batch);

  auto times = received_times(db, a.id);
  BOOST_TEST_REQUIRE(times.size() == 3u);
  BOOST_TEST(times[0] == to_micros(at(10, 1)));
  BOOST_TEST(times[1] == to_micros(at(20)));
  BOOST_TEST(times[2] == to_micros(at(30, 999999)));
  BOOST_TEST(received_times(db, b.id).size() == 1u);

  std::string addr;
  long long id = a.id;
  db.session() << "SELECT remote_addr FROM heartbeat_events WHERE application_id = :id AND "
                  "remote_addr LIKE 'we%'",
      soci::use(id), soci::into(addr);
  BOOST_TEST(addr == R"(we"ird\addr)");
}

BOOST_DATA_TEST_CASE(reads_see_the_newest_heartbeat_before_last_heartbeat_is_stored,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  persist_batch(db.session(), backend, write_batch{{{a.id, at(7), ""}, {a.id, at(5), ""}}, {}, {}});
  BOOST_TEST(!stored_last_heartbeat(db, a.id).has_value()); // written lazily, not yet
  BOOST_TEST((find_application(db.session(), backend, a.id)->last_heartbeat == at(7)));

  persist_batch(db.session(), backend, write_batch{{}, {}, {{a.id, at(7)}}});
  BOOST_TEST((stored_last_heartbeat(db, a.id) == to_micros(at(7))));
}

BOOST_DATA_TEST_CASE(storing_an_older_last_heartbeat_never_moves_it_back, bdata::make(all_backends),
                     backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  persist_batch(db.session(), backend, write_batch{{}, {}, {{a.id, at(50)}}});
  persist_batch(db.session(), backend, write_batch{{}, {}, {{a.id, at(40)}}});
  BOOST_TEST((stored_last_heartbeat(db, a.id) == to_micros(at(50))));
}

BOOST_DATA_TEST_CASE(one_batch_writer_commits_many_batches_with_its_prepared_statements,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  batch_writer writer{db.session(), backend};
  for (int i = 0; i < 20; ++i)
    writer.persist(write_batch{{{a.id, at(i), ""}, {a.id, at(i, 5), ""}}, {}, {{a.id, at(i, 5)}}});
  BOOST_TEST(received_times(db, a.id).size() == 40u);
  BOOST_TEST((stored_last_heartbeat(db, a.id) == to_micros(at(19, 5))));
}

BOOST_DATA_TEST_CASE(a_status_change_of_a_deleted_application_is_dropped_not_fatal,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  write_batch batch;
  batch.heartbeats = {{a.id, at(1), ""}};
  batch.status_changes = {{a.id + 999, app_status::new_, app_status::up, at(2)},
                          {a.id, app_status::new_, app_status::up, at(2)}};
  BOOST_CHECK_NO_THROW(persist_batch(db.session(), backend, batch));
  BOOST_TEST(query_count(db.session(), "SELECT COUNT(*) FROM heartbeat_events") == 1);
  BOOST_TEST(query_count(db.session(), "SELECT COUNT(*) FROM status_changes") == 1);
  BOOST_TEST((find_application(db.session(), backend, a.id)->status == app_status::up));
}

BOOST_DATA_TEST_CASE(status_changes_are_recorded_in_order_and_the_last_one_wins,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  write_batch batch;
  batch.status_changes = {{a.id, app_status::new_, app_status::up, at(1)},
                          {a.id, app_status::up, app_status::late, at(2)},
                          {a.id, app_status::late, app_status::down, at(3)}};
  persist_batch(db.session(), backend, batch);
  auto back = find_application(db.session(), backend, a.id);
  BOOST_TEST((back->status == app_status::down));
  std::vector<std::string> to(10);
  db.session() << "SELECT to_status FROM status_changes ORDER BY id", soci::into(to);
  BOOST_TEST_REQUIRE(to.size() == 3u);
  BOOST_TEST(to[0] == "up");
  BOOST_TEST(to[1] == "late");
  BOOST_TEST(to[2] == "down");
}

BOOST_DATA_TEST_CASE(a_failing_batch_commits_nothing, bdata::make(all_backends), backend) {
  test_database db{backend};
  install_poison_trigger(db);
  auto a = insert_application(db.session(), backend, {"a", 60, 0}, system_now());
  write_batch batch;
  batch.heartbeats = {{a.id, at(1), ""}, {a.id, at(2), ""}};
  batch.last_heartbeats = {{a.id, at(2)}};
  batch.status_changes = {{a.id, app_status::new_, app_status::up, at(2)},
                          {a.id, app_status::up, app_status::paused, at(2)}};
  BOOST_CHECK_THROW(persist_batch(db.session(), backend, batch), soci::soci_error);
  BOOST_TEST(query_count(db.session(), "SELECT COUNT(*) FROM heartbeat_events") == 0);
  BOOST_TEST(!find_application(db.session(), backend, a.id)->last_heartbeat.has_value());
  BOOST_TEST((find_application(db.session(), backend, a.id)->status == app_status::new_));
}

BOOST_AUTO_TEST_SUITE_END()
