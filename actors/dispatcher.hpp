#pragma once

#include "alerts/channel.hpp"
#include "model/delivery_rules.hpp"
#include "model/status_rules.hpp"

#include "actors/alert_metrics.hpp"
#include "actors/messages.hpp"
#include "config/database_url.hpp"
#include "util/logger.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace hb {

/// What a test notification did.
struct test_result {
  std::int64_t notification_id = 0;
  bool delivered = false;
  std::string error; ///< why not, when not delivered
};

/// Called once with the outcome of a test: an error when it could not even be queued.
using test_completion = std::function<void(const caf::error&, const test_result&)>;

/// The alert dispatcher: delivers the notification outbox. Notifications are rows first (the
/// writer queues them in the transaction of the status change; the monitor queues reminders);
/// the dispatcher finds due rows, hands them to detached sender actors, and records each
/// outcome on its row: delivered, retry at a later time, or failed. So the heartbeat path never
/// waits for a channel, and rows pending at a crash are sent after the restart.
///
/// Exactly once per process: a row stays "in flight" (never handed out again) until its outcome
/// is stored. Only a crash between a receiver's answer and storing it can repeat a delivery;
/// every HTTP channel sends the row id as X-Heartbeatd-Notification-Id for receivers to drop
/// such a repeat.
using dispatcher_actor = caf::typed_actor<
    /// A status change of the application was committed: its notifications are due now.
    caf::reacts_to<publish_atom, std::int64_t, transition>,
    /// Look for due notifications now (also done every poll interval).
    caf::reacts_to<poll_atom>,
    /// Send a test notification through alert config `config` of application `app` now, once.
    caf::reacts_to<test_atom, std::int64_t, std::int64_t, test_completion>,
    /// Internal: store the outcomes gathered so far.
    caf::reacts_to<flush_atom>,
    /// Internal: the poll interval passed.
    caf::reacts_to<tick_atom>,
    /// Internal: the rate limit lets the next held-back send go.
    caf::reacts_to<pace_atom>>;

struct dispatcher_options {
  database_url database;
  alerts::channel_settings channels;
  retry_limits limits;
  std::size_t workers = 8;
  double max_rate = 0;    ///< notifications sent per second at most; 0: no limit
  std::string public_url; ///< application links in messages: {public_url}/applications/{id}
  std::chrono::milliseconds poll_interval{1000};
  clock_fn now = system_now;
  std::shared_ptr<const logger> log;
  std::shared_ptr<alert_metrics> metrics; ///< may be null
};

/// Spawns the dispatcher (detached: it runs SQL) and its sender actors.
dispatcher_actor spawn_dispatcher(caf::actor_system& sys, dispatcher_options options);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::test_completion)
