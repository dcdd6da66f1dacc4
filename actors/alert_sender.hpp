#pragma once

#include "alerts/channel.hpp"

#include "actors/messages.hpp"

#include <caf/all.hpp>

namespace hb {

/// The outcome of one delivery attempt, as a message.
struct delivery_report {
  alerts::delivery_result result; ///< empty: delivered
};

/// Sends notifications through the alert channels, one at a time. Channels block on the
/// network (libcurl), so each sender is detached: a thread of its own, never a scheduler thread
/// that carries heartbeats.
using alert_sender_actor = caf::typed_actor<
    /// One attempt to deliver the notification; answers its outcome.
    caf::replies_to<send_atom, alerts::notification>::with<delivery_report>>;

alert_sender_actor spawn_alert_sender(caf::actor_system& sys, alerts::channel_settings settings);

} // namespace hb

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::alerts::notification)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::delivery_report)
