// The notification outbox: rows queued in the transaction of the status change, reminders, the
// dispatcher's queries, and alert configs. Both backends.

#include "support/test_database.hpp"

#include "persistence/alert_store.hpp"
#include "persistence/application_store.hpp"
#include "persistence/batch_writer.hpp"
#include "persistence/notification_store.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
namespace bdata = boost::unit_test::data;

namespace {

timestamp at(std::int64_t seconds) {
  return from_micros(1'700'000'000'000'000 + seconds * 1'000'000);
}

struct fixture {
  explicit fixture(db_backend b) : db{b} {
    app = insert_application(db.session(), b, {"checkout", 60, 0, 0}, at(0));
    hook = insert_alert_config(db.session(), b,
                               {0, app.id, "webhook", "http://h.test/x", true, {}, {}}, at(0));
    mail = insert_alert_config(db.session(), b, {0, app.id, "email", "ops@h.test", true, {}, {}},
                               at(0));
    off = insert_alert_config(db.session(), b,
                              {0, app.id, "slack", "http://s.test/y", false, {}, {}}, at(0));
  }
  db_backend backend() { return db.backend(); }
  long long count(const std::string& where = "") {
    return query_count(db.session(), "SELECT COUNT(*) FROM notifications " + where);
  }
  void change(app_status from, app_status to, timestamp when) {
    write_batch batch;
    batch.status_changes = {{app.id, from, to, when}};
    persist_batch(db.session(), backend(), batch);
  }

  test_database db;
  application_record app;
  alert_config hook, mail, off;
};

} // namespace

BOOST_AUTO_TEST_SUITE(outbox_suite)

BOOST_DATA_TEST_CASE(going_down_queues_one_notification_per_enabled_alert,
                     bdata::make(all_backends), backend) {
  fixture f{backend};
  f.change(app_status::new_, app_status::up, at(1));
  BOOST_TEST(f.count() == 0); // a first heartbeat alerts nobody
  f.change(app_status::up, app_status::down, at(61));
  BOOST_TEST(f.count() == 2);
  BOOST_TEST(f.count("WHERE kind = 'down' AND status_change_id IS NOT NULL") == 2);
  BOOST_TEST(f.count("WHERE alert_config_id = " + std::to_string(f.off.id)) == 0);

  auto due = due_notifications(f.db.session(), backend, at(61), 10);
  BOOST_TEST_REQUIRE(due.size() == 2u);
  for (const auto& d : due) {
    BOOST_TEST((d.message.kind == alerts::notification_kind::down));
    BOOST_TEST((d.message.status == app_status::down));
    BOOST_TEST(d.message.application_name == "checkout");
    BOOST_TEST(d.message.application_uuid == f.app.uuid);
    BOOST_TEST(to_micros(d.message.since) == to_micros(at(61)));
    BOOST_TEST(d.message.attempt == 1);
  }
  BOOST_TEST(due_notifications(f.db.session(), backend, at(60), 10).empty()); // not due yet
}

BOOST_DATA_TEST_CASE(recovery_queues_up_and_pausing_or_resuming_queues_nothing,
                     bdata::make(all_backends), backend) {
  fixture f{backend};
  f.change(app_status::up, app_status::down, at(61));
  f.change(app_status::down, app_status::up, at(70));
  BOOST_TEST(f.count("WHERE kind = 'up'") == 2);
  f.change(app_status::up, app_status::down, at(200));
  f.change(app_status::down, app_status::paused, at(201));
  f.change(app_status::paused, app_status::down, at(202)); // resumed while down: no second alert
  BOOST_TEST(f.count("WHERE kind = 'down'") == 4);
  BOOST_TEST(f.count() == 6);
}

BOOST_DATA_TEST_CASE(a_change_committed_again_is_recorded_and_alerted_once,
                     bdata::make(all_backends), backend) {
  // The application actor retries a change whose commit answer was lost, though the first
  // commit may have gone through.
  fixture f{backend};
  f.change(app_status::up, app_status::down, at(61));
  f.change(app_status::up, app_status::down, at(61));
  BOOST_TEST(query_count(f.db.session(), "SELECT COUNT(*) FROM status_changes") == 1);
  BOOST_TEST(f.count() == 2); // one per enabled alert, not two
  f.change(app_status::down, app_status::up, at(70));
  BOOST_TEST(f.count("WHERE kind = 'up'") == 2);
}

BOOST_DATA_TEST_CASE(a_failed_transaction_queues_no_notification, bdata::make(all_backends),
                     backend) {
  fixture f{backend};
  install_poison_trigger(f.db);
  write_batch batch;
  batch.status_changes = {{f.app.id, app_status::up, app_status::down, at(61)},
                          {f.app.id, app_status::down, app_status::paused, at(62)}};
  BOOST_CHECK_THROW(persist_batch(f.db.session(), backend, batch), soci::soci_error);
  BOOST_TEST(f.count() == 0);
}

BOOST_DATA_TEST_CASE(outcomes_are_recorded_and_only_retries_come_back, bdata::make(all_backends),
                     backend) {
  fixture f{backend};
  f.change(app_status::up, app_status::down, at(61));
  auto due = due_notifications(f.db.session(), backend, at(61), 10);
  BOOST_TEST_REQUIRE(due.size() == 2u);
  using state = notification_outcome::state;
  record_outcomes(f.db.session(), backend,
                  {{due[0].message.id, 1, state::delivered, at(62), std::nullopt, ""},
                   {due[1].message.id, 1, state::retry, at(62), at(70), "HTTP 503"}});
  BOOST_TEST(due_notifications(f.db.session(), backend, at(69), 10).empty());
  auto again = due_notifications(f.db.session(), backend, at(70), 10);
  BOOST_TEST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].message.id == due[1].message.id);
  BOOST_TEST(again[0].message.attempt == 2);
  record_outcomes(f.db.session(), backend,
                  {{again[0].message.id, 2, state::failed, at(71), std::nullopt, "HTTP 400"}});
  BOOST_TEST(due_notifications(f.db.session(), backend, at(1000), 10).empty());
  BOOST_TEST(count_pending_notifications(f.db.session()) == 0);

  auto log = list_notifications(f.db.session(), backend, f.app.id, 10, std::nullopt);
  BOOST_TEST_REQUIRE(log.size() == 2u);
  BOOST_TEST(log[0].id > log[1].id); // newest first
  for (const auto& e : log) {
    if (e.id == due[0].message.id) {
      BOOST_TEST(e.delivered_at.has_value());
      BOOST_TEST(e.last_error.empty());
    } else {
      BOOST_TEST(e.failed_at.has_value());
      BOOST_TEST(e.attempts == 2);
      BOOST_TEST(e.last_error == "HTTP 400");
    }
    BOOST_TEST(!e.next_attempt_at.has_value());
  }
  BOOST_TEST(list_notifications(f.db.session(), backend, f.app.id, 10, log[0].id).size() == 1u);
}

BOOST_DATA_TEST_CASE(reminders_repeat_every_interval_while_down, bdata::make(all_backends),
                     backend) {
  fixture f{backend};
  application_patch patch;
  patch.reminder_interval_s = 300;
  update_application(f.db.session(), backend, f.app.id, patch, at(1));
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(1000)) == 0u); // not down
  f.change(app_status::up, app_status::down, at(100));
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(399)) == 0u);
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(400)) == 2u); // both enabled alerts
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(401)) == 0u); // once per interval
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(700)) == 2u);
  BOOST_TEST(f.count("WHERE kind = 'reminder'") == 4);
  f.change(app_status::down, app_status::up, at(800));
  BOOST_TEST(queue_reminders(f.db.session(), backend, at(5000)) == 0u); // back up
}

BOOST_DATA_TEST_CASE(alert_configs_are_created_changed_and_deleted, bdata::make(all_backends),
                     backend) {
  fixture f{backend};
  auto all = list_alert_configs(f.db.session(), backend, f.app.id);
  BOOST_TEST_REQUIRE(all.size() == 3u);
  BOOST_TEST(all[0].channel == "webhook");
  BOOST_TEST(!all[2].enabled);
  alert_config_patch patch;
  patch.enabled = true;
  patch.target = "http://s.test/z";
  auto changed = update_alert_config(f.db.session(), backend, f.app.id, f.off.id, patch, at(5));
  BOOST_TEST_REQUIRE(changed.has_value());
  BOOST_TEST(changed->enabled);
  BOOST_TEST(changed->target == "http://s.test/z");
  BOOST_TEST(changed->channel == "slack");
  BOOST_TEST(!update_alert_config(f.db.session(), backend, f.app.id + 1, f.off.id, patch, at(5)));
  BOOST_TEST(!delete_alert_config(f.db.session(), f.app.id + 1, f.off.id)); // not its app
  BOOST_TEST(delete_alert_config(f.db.session(), f.app.id, f.off.id));
  BOOST_TEST(!find_alert_config(f.db.session(), backend, f.app.id, f.off.id));
  // Deleting the application deletes its configs and notifications.
  f.change(app_status::up, app_status::down, at(61));
  delete_application(f.db.session(), backend, f.app.id);
  BOOST_TEST(query_count(f.db.session(), "SELECT COUNT(*) FROM alert_configs") == 0);
  BOOST_TEST(f.count() == 0);
}

BOOST_DATA_TEST_CASE(a_test_notification_is_not_due_until_sent, bdata::make(all_backends),
                     backend) {
  fixture f{backend};
  auto id = insert_test_notification(f.db.session(), backend, f.app.id, f.hook.id, at(5));
  BOOST_TEST(due_notifications(f.db.session(), backend, at(1000), 10).empty());
  auto n = find_notification(f.db.session(), backend, id);
  BOOST_TEST_REQUIRE(n.has_value());
  BOOST_TEST((n->message.kind == alerts::notification_kind::test));
  BOOST_TEST(n->message.target == "http://h.test/x");
}

BOOST_AUTO_TEST_SUITE_END()
