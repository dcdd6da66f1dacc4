#include "actors/alert_sender.hpp"

#include "util/thread_priority.hpp"

#include <map>
#include <memory>
#include <string>

namespace hb {

namespace {

struct sender_state {
  sender_state() = default; // not an aggregate: CAF must not build it from `self`
  alerts::channel_settings settings;
  /// One instance per kind, made on first use: each keeps its connections alive.
  std::map<std::string, std::unique_ptr<alerts::channel>, std::less<>> channels;

  static inline const char* name = "alert_sender";
};

using sender_pointer = alert_sender_actor::stateful_pointer<sender_state>;

// Alert delivery is background work: in a storm it must not take the CPU from heartbeats.
constexpr int background_nice = 10;

alert_sender_actor::behavior_type sender(sender_pointer self, alerts::channel_settings settings) {
  lower_thread_priority(background_nice); // runs on the actor's own thread (detached)
  self->state.settings = std::move(settings);
  return {
      [self](send_atom, const alerts::notification& n) -> delivery_report {
        auto& st = self->state;
        // A channel reports errors as values; whatever it throws (making a curl handle, memory)
        // is one failed attempt too, never the end of the sender.
        try {
          auto it = st.channels.find(n.channel);
          if (it == st.channels.end()) {
            auto made = alerts::make_channel(n.channel, st.settings);
            if (!made)
              return {alerts::delivery_error{"unknown channel '" + n.channel + "'", true, {}}};
            it = st.channels.emplace(n.channel, std::move(made)).first;
          }
          return {it->second->notify(n)};
        } catch (const std::exception& e) {
          return {alerts::delivery_error{e.what(), false, {}}};
        } catch (...) {
          return {alerts::delivery_error{"the channel failed", false, {}}};
        }
      },
  };
}

} // namespace

alert_sender_actor spawn_alert_sender(caf::actor_system& sys, alerts::channel_settings settings) {
  return sys.spawn<caf::detached>(sender, std::move(settings));
}

} // namespace hb
