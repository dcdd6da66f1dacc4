#include "actors/registry.hpp"

#include <functional>
#include <unordered_map>

namespace hb {

namespace {

struct shard_state {
  shard_state() = default; // not an aggregate: CAF must not build it from `self`
  std::shared_ptr<const application_context> ctx; ///< shared by its applications
  std::unordered_map<uuid_key, application_actor, uuid_key_hash> apps;

  static inline const char* name = "registry_shard";
};

using shard_pointer = registry_shard_actor::stateful_pointer<shard_state>;

application_actor* find(shard_pointer self, const uuid_key& uuid) {
  auto it = self->state.apps.find(uuid);
  return it == self->state.apps.end() ? nullptr : &it->second;
}

/// For the messages that name an application by its UUID as text (from the database, the
/// admin API or the monitor): not on the heartbeat path.
application_actor* find(shard_pointer self, std::string_view uuid) {
  const auto key = parse_uuid(uuid);
  return key ? find(self, *key) : nullptr;
}

caf::error unknown(std::string_view uuid) {
  return make_error(errc::unknown_application, "unknown application " + std::string{uuid});
}

registry_shard_actor::behavior_type shard(shard_pointer self, application_context ctx) {
  self->state.ctx = std::make_shared<const application_context>(std::move(ctx));
  // Stopping a shard stops its applications (they hold nothing unsaved).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [uuid, app] : self->state.apps)
      self->send_exit(app, msg.reason);
    self->state.apps.clear();
    self->quit(msg.reason);
  });
  return {
      [self](heartbeat_atom, const uuid_key& uuid, timestamp at, std::string& addr,
             completion& done) {
        if (auto* app = find(self, uuid))
          self->send(*app, heartbeat_atom::value, at, std::move(addr), std::move(done));
        else
          done(unknown(to_string(uuid)));
      },
      [self](spawn_atom, const application_record& r, timestamp startup) -> caf::result<ok_atom> {
        auto& apps = self->state.apps;
        const auto key = parse_uuid(r.uuid);
        if (!key) { // heartbeatd writes canonical UUIDs: a row changed by hand
          if (self->state.ctx->log)
            self->state.ctx->log->warn("application {} is not monitored: its UUID '{}' in the "
                                       "database is not a UUID",
                                       r.id, r.uuid);
          return caf::result<ok_atom>{unknown(r.uuid)};
        }
        if (auto it = apps.find(*key); it != apps.end())
          caf::anon_send(it->second, delete_atom::value); // replaced: the old one stops
        apps[*key] =
            spawn_application(self, r.id, r.uuid, clock_from_record(r, startup), self->state.ctx);
        return caf::result<ok_atom>{ok_atom::value};
      },
      [self](update_atom, const application_record& r) -> caf::result<ok_atom> {
        auto* app = find(self, r.uuid);
        if (!app)
          return unknown(r.uuid);
        self->send(*app, update_atom::value, r);
        return ok_atom::value;
      },
      [self](delete_atom, const std::string& uuid) -> caf::result<ok_atom> {
        const auto key = parse_uuid(uuid);
        auto* app = key ? find(self, *key) : nullptr;
        if (!app)
          return unknown(uuid);
        // Same sender, same order: every heartbeat passed on before this is handled first.
        auto stopped = self->make_response_promise<ok_atom>();
        self->request(*app, caf::infinite, delete_atom::value)
            .then([stopped](ok_atom) mutable { stopped.deliver(ok_atom::value); },
                  [stopped](caf::error&) mutable { stopped.deliver(ok_atom::value); });
        self->state.apps.erase(*key);
        return stopped;
      },
      [self](check_atom, const std::string& uuid) -> caf::result<bool> {
        auto* app = find(self, uuid);
        if (!app)
          return unknown(uuid);
        return self->delegate(*app, check_atom::value);
      },
      [self](get_atom, const std::string& uuid) -> caf::result<app_snapshot> {
        auto* app = find(self, uuid);
        if (!app)
          return unknown(uuid);
        return self->delegate(*app, get_atom::value);
      },
      [self](count_atom) { return self->state.apps.size(); },
  };
}

} // namespace

const registry_shard_actor& registry::shard_for(const uuid_key& uuid) const {
  return shards_[uuid_key_hash{}(uuid) % shards_.size()];
}

const registry_shard_actor& registry::shard_for(std::string_view uuid) const {
  const auto key = parse_uuid(uuid);
  return key ? shard_for(*key) : shards_.front();
}

void stop_registry(const registry& apps) {
  for (const auto& shard : apps.shards())
    caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
}

registry spawn_registry(caf::actor_system& sys, std::size_t count, application_context ctx) {
  std::vector<registry_shard_actor> shards;
  for (std::size_t i = 0; i < count; ++i)
    shards.push_back(sys.spawn(shard, ctx));
  return registry{std::move(shards)};
}

} // namespace hb
