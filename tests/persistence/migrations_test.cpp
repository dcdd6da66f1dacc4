#include "support/test_database.hpp"

#include "persistence/application_store.hpp"
#include "persistence/migrations.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_DATA_TEST_CASE(an_empty_database_is_migrated_to_the_latest_version, bdata::make(all_backends),
                     backend) {
  test_database db{backend, /*migrate=*/false};
  BOOST_TEST(apply_migrations(db.session(), backend) == latest_schema_version());
  BOOST_TEST(current_schema_version(db.session()) == latest_schema_version());
  for (auto table : {"applications", "heartbeat_events", "alert_configs", "notifications",
                     "status_changes", "server_secrets", "schema_migrations"})
    BOOST_CHECK_NO_THROW(query_count(db.session(), std::string{"SELECT COUNT(*) FROM "} + table));
}

BOOST_DATA_TEST_CASE(running_migrations_again_changes_nothing, bdata::make(all_backends), backend) {
  test_database db{backend};
  insert_application(db.session(), backend, {"kept", 60, 10}, system_now());
  BOOST_TEST(apply_migrations(db.session(), backend) == 0);
  BOOST_TEST(current_schema_version(db.session()) == latest_schema_version());
  BOOST_TEST(query_count(db.session(), "SELECT COUNT(*) FROM applications") == 1);
  BOOST_TEST(query_count(db.session(), "SELECT COUNT(*) FROM schema_migrations") ==
             latest_schema_version());
}

BOOST_DATA_TEST_CASE(deleting_an_application_deletes_its_history, bdata::make(all_backends),
                     backend) {
  test_database db{backend};
  auto& s = db.session();
  auto app = insert_application(s, backend, {"doomed", 60, 0}, system_now());
  long long id = app.id;
  s << "INSERT INTO heartbeat_events (application_id, received_at) VALUES (:id, " +
           std::string{backend == db_backend::sqlite3 ? "0" : "now()"} + ")",
      soci::use(id);
  s << "INSERT INTO alert_configs (application_id, channel, target) VALUES (:id, 'webhook', "
       "'http://x')",
      soci::use(id);
  s << "DELETE FROM applications WHERE id = :id", soci::use(id);
  BOOST_TEST(query_count(s, "SELECT COUNT(*) FROM heartbeat_events") == 0);
  BOOST_TEST(query_count(s, "SELECT COUNT(*) FROM alert_configs") == 0);
}

BOOST_DATA_TEST_CASE(configuration_rows_cannot_reference_a_missing_application,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  BOOST_CHECK_THROW(db.session() << "INSERT INTO alert_configs (application_id, channel, target) "
                                    "VALUES (4242, 'webhook', 'http://x')",
                    soci::soci_error);
  BOOST_CHECK_THROW(
      db.session() << "INSERT INTO status_changes (application_id, from_status, "
                      "to_status, changed_at) VALUES (4242, 'new', 'up', " +
                          std::string{backend == db_backend::sqlite3 ? "0" : "now()"} + ")",
      soci::soci_error);
}

// Migration 6: a key check planned while status_changes was small scanned the whole table for
// every outbox row of an alert storm. The reference holds by construction; the cascade goes
// through the application (see outbox_test).
BOOST_AUTO_TEST_CASE(postgresql_outbox_rows_do_not_check_their_status_change) {
  test_database db{db_backend::postgresql};
  BOOST_TEST(query_count(db.session(),
                         "SELECT COUNT(*) FROM pg_constraint "
                         "WHERE conrelid = 'notifications'::regclass AND contype = 'f' "
                         "AND confrelid = 'status_changes'::regclass") == 0);
  // The others stay.
  BOOST_TEST(query_count(db.session(),
                         "SELECT COUNT(*) FROM pg_constraint "
                         "WHERE conrelid = 'notifications'::regclass AND contype = 'f'") == 2);
}

BOOST_DATA_TEST_CASE(application_ids_are_never_reused, bdata::make(all_backends), backend) {
  test_database db{backend};
  auto first = insert_application(db.session(), backend, {"first", 60, 0}, system_now());
  long long id = first.id;
  db.session() << "DELETE FROM applications WHERE id = :id", soci::use(id);
  auto second = insert_application(db.session(), backend, {"second", 60, 0}, system_now());
  BOOST_TEST(second.id > first.id);
}

BOOST_DATA_TEST_CASE(invalid_rows_are_refused_by_the_schema, bdata::make(all_backends), backend) {
  test_database db{backend};
  BOOST_CHECK_THROW(insert_application(db.session(), backend, {"", 60, 0}, system_now()),
                    soci::soci_error);
  BOOST_CHECK_THROW(insert_application(db.session(), backend, {"x", 0, 0}, system_now()),
                    soci::soci_error);
  BOOST_CHECK_THROW(insert_application(db.session(), backend, {"x", 60, -1}, system_now()),
                    soci::soci_error);
}

BOOST_DATA_TEST_CASE(an_inserted_application_reads_back_with_utc_times, bdata::make(all_backends),
                     backend) {
  test_database db{backend};
  const auto now = system_now();
  auto app = insert_application(db.session(), backend, {"billing-cron", 300, 60}, now);
  auto back = find_application(db.session(), backend, app.id);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->uuid == app.uuid);
  BOOST_TEST(back->name == "billing-cron");
  BOOST_TEST(back->expected_interval_s == 300);
  BOOST_TEST(back->grace_period_s == 60);
  BOOST_TEST((back->status == app_status::new_));
  BOOST_TEST(back->is_active);
  BOOST_TEST(!back->last_heartbeat.has_value());
  BOOST_TEST((back->created_at == now));
  BOOST_TEST(!find_application(db.session(), backend, app.id + 1000).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
