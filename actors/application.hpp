#pragma once

#include "model/status_rules.hpp"

#include "actors/messages.hpp"
#include "actors/status_counters.hpp"
#include "actors/writer.hpp"
#include "util/logger.hpp"

#include <caf/all.hpp>

#include <memory>
#include <optional>
#include <string>

namespace hb {

/// What an application actor reports about itself.
struct app_snapshot {
  std::int64_t id = 0;
  app_status status = app_status::new_;
  std::optional<timestamp> last_heartbeat;
  std::optional<timestamp> down_after;
  std::uint64_t timers_set = 0; ///< delayed messages sent in this actor's life
  std::size_t unrecorded = 0;   ///< status changes not committed yet
};

/// One per registered application: owns its status and ONE pending deadline timer, however
/// often heartbeats arrive (CAF 0.17 cannot cancel a delayed message: a timer that fires early
/// re-arms for the remainder).
using application_actor = caf::typed_actor<
    /// A heartbeat received (server time) from an address; the completion is called once it is
    /// committed.
    caf::reacts_to<heartbeat_atom, timestamp, std::string, completion>,
    /// A deadline timer fired; the argument is the deadline it was set for.
    caf::reacts_to<deadline_atom, timestamp>,
    /// The monitor's sweep: check the deadline now; answers true if this moved it to down (which
    /// means a timer was missed).
    caf::replies_to<check_atom>::with<bool>,
    /// Settings changed: interval, grace, active. Takes effect at once, from the last heartbeat.
    caf::reacts_to<update_atom, application_record>,
    /// The live view.
    caf::replies_to<get_atom>::with<app_snapshot>,
    /// Stop after everything sent before this was handled; answers once stopped.
    caf::replies_to<delete_atom>::with<ok_atom>,
    /// Internal: the oldest unrecorded status change was committed (true) or not (false).
    caf::reacts_to<recorded_atom, bool>,
    /// Internal: try recording status changes again after a failure.
    caf::reacts_to<retry_atom>>;

/// What an application actor needs besides its own row.
struct application_context {
  writer_actor writer;
  clock_fn now = system_now;
  std::shared_ptr<const logger> log;
  /// Told about every committed status change (the alert dispatcher, later); may be null.
  caf::actor subscriber;
  /// Applications per status, for /metrics; may be null.
  std::shared_ptr<status_counters> counters;
};

/// Spawns the actor for `record`, whose clock was restored with on_restart (or is new).
/// `ctx` is shared by every application of a shard: one copy per actor was 80 bytes of a
/// million.
application_actor spawn_application(caf::local_actor* parent, std::int64_t id, std::string uuid,
                                    app_clock clock,
                                    std::shared_ptr<const application_context> ctx);

/// The clock an application starts with, from its stored row, at `startup`.
app_clock clock_from_record(const application_record& r, timestamp startup);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::app_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::transition)
