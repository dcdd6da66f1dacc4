#pragma once

#include "alerts/notification.hpp"
#include "model/status.hpp"

#include <optional>

namespace hb {

/// Which notification a committed status change sends, if any:
/// - up -> down: `down`;
/// - down -> up: `up` (recovery);
/// - nothing else: new -> up is a first heartbeat, and pausing or resuming is the admin's own
///   doing (resuming an application that was down before the pause records paused -> down,
///   which must not alert a second time).
constexpr std::optional<alerts::notification_kind> alert_for(app_status from, app_status to) {
  if (from == app_status::up && to == app_status::down)
    return alerts::notification_kind::down;
  if (from == app_status::down && to == app_status::up)
    return alerts::notification_kind::up;
  return std::nullopt;
}

} // namespace hb
