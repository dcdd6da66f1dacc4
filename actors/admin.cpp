#include "actors/admin.hpp"

namespace hb {

namespace {

struct admin_state {
  admin_state() = default; // not an aggregate: CAF must not build it from `self`
  writer_actor writer;
  registry apps;
  clock_fn now;

  static inline const char* name = "admin";
};

using admin_pointer = admin_actor::stateful_pointer<admin_state>;

void commit_then(admin_pointer self, application_op op, const op_completion& done,
                 const std::function<void(const application_record&, op_completion)>& next) {
  self->request(self->state.writer, caf::infinite, apply_atom::value, std::move(op))
      .then(
          [done, next](application_op_result& result) {
            if (!result)
              done(caf::error{}, std::nullopt);
            else
              next(*result, done);
          },
          [done](caf::error& err) { done(err, std::nullopt); });
}

admin_actor::behavior_type admin(admin_pointer self, writer_actor writer, registry apps,
                                 clock_fn now) {
  self->state.writer = std::move(writer);
  self->state.apps = std::move(apps);
  self->state.now = std::move(now);
  return {
      [self](apply_atom, application_op& op, const std::string& uuid, op_completion& done) {
        if (std::holds_alternative<application_create>(op)) {
          commit_then(self, std::move(op), done,
                      [self](const application_record& r, const op_completion& done) {
                        self->request(self->state.apps.shard_for(r.uuid), caf::infinite,
                                      spawn_atom::value, r, self->state.now())
                            .then([done, r](ok_atom) { done(caf::error{}, r); },
                                  [done](caf::error& err) { done(err, std::nullopt); });
                      });
        } else if (std::holds_alternative<application_update>(op)) {
          commit_then(self, std::move(op), done,
                      [self](const application_record& r, const op_completion& done) {
                        self->request(self->state.apps.shard_for(r.uuid), caf::infinite,
                                      update_atom::value, r)
                            .then([done, r](ok_atom) { done(caf::error{}, r); },
                                  // no actor (yet): the committed row is what counts
                                  [done, r](caf::error&) { done(caf::error{}, r); });
                      });
        } else {
          // Stop the actor first (it hands over the heartbeats it was given), then delete.
          auto then_delete = [self, op, done](auto&&...) mutable {
            commit_then(self, std::move(op), done,
                        [](const application_record& r, const op_completion& done) {
                          done(caf::error{}, r);
                        });
          };
          self->request(self->state.apps.shard_for(uuid), caf::infinite, delete_atom::value, uuid)
              .then([then_delete](ok_atom) mutable { then_delete(); },
                    [then_delete](caf::error&) mutable { then_delete(); });
        }
      },
  };
}

} // namespace

admin_actor spawn_admin(caf::actor_system& sys, writer_actor writer, registry apps, clock_fn now) {
  return sys.spawn(admin, std::move(writer), std::move(apps), std::move(now));
}

} // namespace hb
