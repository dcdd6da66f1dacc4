#pragma once

#include "actors/messages.hpp"
#include "actors/writer_metrics.hpp"
#include "config/database_url.hpp"
#include "util/logger.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <memory>

namespace hb {

/// The persistence writer: the only writer of the database. It groups what arrives into batches
/// (group commit) and answers each request only after the batch holding it committed, so an
/// `ok` means durable. Several committers (sessions) may work side by side on PostgreSQL.
using writer_actor = caf::typed_actor<
    /// Records a received heartbeat in history; ok once committed. applications.last_heartbeat
    /// follows within `last_heartbeat_flush` (reads combine it with history, so they are exact).
    caf::replies_to<record_atom, heartbeat_event>::with<ok_atom>,
    /// The same, answered by calling the completion instead of a reply message (the hot path).
    caf::reacts_to<record_atom, heartbeat_event, completion>,
    /// Records a status change of an application; ok once committed.
    caf::replies_to<record_atom, status_change>::with<ok_atom>,
    /// The same, answered by calling the completion.
    caf::reacts_to<record_atom, status_change, completion>,
    /// Creates, updates or deletes an application; answers the row (unset: no such application).
    caf::replies_to<apply_atom, application_op>::with<application_op_result>,
    /// Internal: a batching window or the last_heartbeat flush interval may have passed.
    caf::reacts_to<flush_atom>>;

struct writer_options {
  database_url database;
  std::size_t max_batch = 1000;
  /// How long an item arriving while no commit runs may wait for companions; what arrives
  /// during a commit goes with the next batch anyway.
  std::chrono::microseconds max_delay{0};
  /// Most items waiting for a commit; past it new ones are refused with errc::overloaded
  /// (HTTP 429), so a slow database cannot grow memory without bound.
  std::size_t max_queued = 100000;
  /// Database sessions committing side by side (PostgreSQL only; SQLite has one writer). The
  /// same default as HEARTBEATD_WRITER_CONNECTIONS: one session for status changes, one for
  /// heartbeats.
  std::size_t connections = 2;
  /// How often coalesced last_heartbeat values are written to applications.
  std::chrono::microseconds last_heartbeat_flush{1000000};
  std::shared_ptr<const logger> log;
  std::shared_ptr<writer_metrics> metrics = std::make_shared<writer_metrics>();
  /// Heartbeats waiting that let a batch of them take the status-change session while the
  /// heartbeat session is busy (batch_planner rule 7); 0: never.
  std::size_t overflow_batch = 256;
};

/// Spawns the writer and its committers (linked: they live and die together). Send the writer
/// an exit with `user_shutdown` to drain: it commits what it holds, answers, then stops.
writer_actor spawn_writer(caf::actor_system& sys, writer_options options);

} // namespace hb
