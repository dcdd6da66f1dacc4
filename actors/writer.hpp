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
/// `ok` means durable.
using writer_actor = caf::typed_actor<
  /// Records a received heartbeat (history + coalesced last_heartbeat); ok once committed.
  caf::replies_to<record_atom, heartbeat_event>::with<ok_atom>,
  /// Records a status change of an application; ok once committed.
  caf::replies_to<record_atom, status_change>::with<ok_atom>,
  /// Internal: the batching window numbered by the argument has passed.
  caf::reacts_to<flush_atom, std::uint64_t>>;

struct writer_options {
  database_url database;
  std::size_t max_batch = 1000;
  /// How long the first item of a batch may wait for companions while the database is idle.
  /// While a commit is running, the next batch fills up regardless.
  std::chrono::microseconds max_delay{2000};
  std::shared_ptr<const logger> log;
  std::shared_ptr<writer_metrics> metrics = std::make_shared<writer_metrics>();
};

/// Spawns the writer and its committer (linked: they live and die together). Send the writer
/// an exit with `user_shutdown` to drain: it commits what it holds, answers, then stops.
writer_actor spawn_writer(caf::actor_system& sys, writer_options options);

} // namespace hb
