#pragma once

#include "actors/messages.hpp"
#include "config/database_url.hpp"
#include "util/logger.hpp"

#include <caf/all.hpp>

#include <memory>

namespace hb {

/// The committer owns the writer's database session and runs each batch as one transaction.
/// It blocks on I/O, so it is spawned detached (a thread of its own), never on the scheduler.
using committer_actor = caf::typed_actor<
    /// Commits the batch in one transaction; answers what it committed, or an errc error and then
    /// nothing of the batch was committed.
    caf::replies_to<commit_atom, write_batch>::with<commit_report>>;

/// Spawns a detached committer for `url`. It connects lazily and reconnects after failures.
committer_actor spawn_committer(caf::actor_system& sys, database_url url,
                                std::shared_ptr<const logger> log);

} // namespace hb
