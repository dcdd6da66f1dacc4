#pragma once

#include "actors/application.hpp"
#include "util/uuid.hpp"

#include <caf/all.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hb {

/// One shard of the registry: the application actors whose UUID hashes to it. Sharding keeps any
/// single actor from becoming the bottleneck of the heartbeat path.
using registry_shard_actor = caf::typed_actor<
    /// A heartbeat for the application with this UUID; unknown UUIDs complete with
    /// errc::unknown_application.
    caf::reacts_to<heartbeat_atom, uuid_key, timestamp, std::string, completion>,
    /// Starts the actor of an application (at start-up, or once its creation committed).
    caf::replies_to<spawn_atom, application_record, timestamp>::with<ok_atom>,
    /// Passes changed settings on to the application's actor.
    caf::replies_to<update_atom, application_record>::with<ok_atom>,
    /// Stops the actor of the application with this UUID, after what was sent to it before.
    caf::replies_to<delete_atom, std::string>::with<ok_atom>,
    /// The monitor asks the application with this UUID to check its deadline; true: it went down.
    caf::replies_to<check_atom, std::string>::with<bool>,
    /// The live view of the application with this UUID.
    caf::replies_to<get_atom, std::string>::with<app_snapshot>,
    /// How many applications this shard holds.
    caf::replies_to<count_atom>::with<std::size_t>>;

/// The shards, and which one holds a UUID. A plain value, cheap to copy.
class registry {
public:
  registry() = default;
  explicit registry(std::vector<registry_shard_actor> shards) : shards_{std::move(shards)} {}

  const registry_shard_actor& shard_for(const uuid_key& uuid) const;
  /// The same for a UUID as text (any shard for one that is not a UUID: none holds it).
  const registry_shard_actor& shard_for(std::string_view uuid) const;
  const std::vector<registry_shard_actor>& shards() const { return shards_; }

private:
  std::vector<registry_shard_actor> shards_;
};

/// Stops every shard and the application actors in it.
void stop_registry(const registry& apps);

/// Spawns `count` shards whose application actors share `ctx`.
registry spawn_registry(caf::actor_system& sys, std::size_t count, application_context ctx);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::uuid_key)
