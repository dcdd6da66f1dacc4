#pragma once

#include "actors/messages.hpp"
#include "actors/registry.hpp"
#include "config/database_url.hpp"
#include "util/logger.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <memory>

namespace hb {

/// What one sweep did.
struct sweep_report {
  std::size_t candidates = 0; ///< overdue by what the database holds
  std::size_t missed = 0;     ///< of those, moved to down by the sweep (their timer was missed)
  std::int64_t pruned = 0;    ///< history rows deleted beyond retention
  std::size_t pruned_applications = 0; ///< applications gone through (most had nothing to prune)
  std::size_t reminders = 0;           ///< reminder notifications queued (reminder_interval)
};

/// The heartbeat monitor: every check interval, a safety-net sweep for applications past their
/// deadline whose timer did not fire (their actor decides, so it never causes a false alert),
/// reminders for applications still down (their reminder_interval), and pruning of history
/// beyond retention, a slice of applications per sweep. It runs SQL, so
/// it is detached (a thread and a session of its own).
using monitor_actor = caf::typed_actor<
    /// Runs one sweep now and answers what it did (the timer sends this too).
    caf::replies_to<check_atom>::with<sweep_report>>;

struct monitor_options {
  database_url database;
  std::chrono::seconds interval{30};
  std::size_t retention = 1000;
  std::size_t prune_batch = 500; ///< applications pruned per batch; a sweep prunes batch after
                                 ///< batch for a tenth of `interval`, at most a second
  registry apps;
  clock_fn now = system_now;
  std::shared_ptr<const logger> log;
  bool periodic = true; ///< false: only sweeps when asked (tests)
};

monitor_actor spawn_monitor(caf::actor_system& sys, monitor_options options);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::sweep_report)
