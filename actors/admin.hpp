#pragma once

#include "actors/registry.hpp"
#include "actors/writer.hpp"

#include <caf/all.hpp>

#include <functional>
#include <string>

namespace hb {

/// Called once with the outcome of an administrative change: an error, or the row (unset when
/// there is no such application).
using op_completion = std::function<void(const caf::error&, application_op_result)>;

/// Carries out creates, updates and deletes of applications in the right order across the
/// writer and the registry:
/// - create: commit the row, then start its actor;
/// - update: commit the row, then tell its actor;
/// - delete: stop its actor (after the heartbeats already passed to it), then delete the row,
///   so no heartbeat of a deleted application can be written after it.
using admin_actor = caf::typed_actor<
    /// Applies the change; `uuid` names the application for a delete (ignored otherwise).
    caf::reacts_to<apply_atom, application_op, std::string, op_completion>>;

admin_actor spawn_admin(caf::actor_system& sys, writer_actor writer, registry apps, clock_fn now);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::op_completion)
