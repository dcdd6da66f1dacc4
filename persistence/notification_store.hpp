#pragma once

#include "alerts/notification.hpp"
#include "model/delivery_rules.hpp"

#include "config/database_url.hpp"
#include "util/time.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hb {

/// A queued notification that is due, with what sending it needs.
struct due_notification {
  alerts::notification message; ///< application_url is left to the caller
  std::int64_t alert_config_id = 0;
  bool config_enabled = true;     ///< disabled after it was queued: cancel, do not send
  bool application_active = true; ///< paused after it was queued: cancel, do not send
};

/// Up to `limit` undelivered notifications whose next attempt is due at `now`, oldest first.
std::vector<due_notification> due_notifications(soci::session& session, db_backend backend,
                                                timestamp now, std::size_t limit);

/// The notification `id` with what sending it needs, if it exists.
std::optional<due_notification> find_notification(soci::session& session, db_backend backend,
                                                  std::int64_t id);

/// Stores outcomes, all in one transaction.
void record_outcomes(soci::session& session, db_backend backend,
                     const std::vector<notification_outcome>& outcomes);

/// Queues a test notification of one alert config (not due: the caller sends it at once).
std::int64_t insert_test_notification(soci::session& session, db_backend backend,
                                      std::int64_t application_id, std::int64_t alert_config_id,
                                      timestamp now);

/// Closes test notifications that an earlier run inserted but never finished (it stopped during
/// the test), as failed: nothing else would ever close them. Returns how many.
std::size_t close_abandoned_tests(soci::session& session, db_backend backend, timestamp now);

/// Queues a reminder through every enabled alert config of each active application that has
/// been down for another `reminder_interval` since it went down or was last reminded of.
/// Returns how many notifications it queued.
std::size_t queue_reminders(soci::session& session, db_backend backend, timestamp now);

/// One row of the notification log, as the API shows it.
struct notification_entry {
  std::int64_t id = 0;
  std::int64_t alert_config_id = 0;
  std::string channel;
  std::string target;
  std::string kind;
  timestamp created_at;
  int attempts = 0;
  std::optional<timestamp> next_attempt_at; ///< unset once delivered or failed
  std::optional<timestamp> delivered_at;
  std::optional<timestamp> failed_at;
  std::string last_error;
};

/// An application's notifications, newest first, `limit` of them with ids below `before_id`.
std::vector<notification_entry> list_notifications(soci::session& session, db_backend backend,
                                                   std::int64_t application_id, std::size_t limit,
                                                   std::optional<std::int64_t> before_id);

/// Notifications not delivered and not given up on (for /metrics and tests).
std::int64_t count_pending_notifications(soci::session& session);

} // namespace hb
