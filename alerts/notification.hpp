#pragma once

#include "model/status.hpp"

#include "util/time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::alerts {

/// Why a notification is sent.
enum class notification_kind { down, up, reminder, test };

constexpr std::string_view to_string(notification_kind k) {
  switch (k) {
  case notification_kind::down:
    return "down";
  case notification_kind::up:
    return "up";
  case notification_kind::reminder:
    return "reminder";
  case notification_kind::test:
    return "test";
  }
  return "test";
}

constexpr std::optional<notification_kind> parse_notification_kind(std::string_view text) {
  for (auto k : {notification_kind::down, notification_kind::up, notification_kind::reminder,
                 notification_kind::test})
    if (to_string(k) == text)
      return k;
  return std::nullopt;
}

/// Everything a channel needs to send one notification: no database, no actors.
struct notification {
  std::int64_t id = 0; ///< notifications.id; also the idempotency key receivers may use
  notification_kind kind = notification_kind::test;
  std::string channel; ///< email, slack, discord, sms, webhook
  std::string target;  ///< address, URL or phone number, validated when it was configured
  std::int64_t application_id = 0;
  std::string application_uuid;
  std::string application_name;
  app_status status = app_status::new_;    ///< the application's status the message reports
  std::optional<timestamp> last_heartbeat; ///< newest heartbeat, if any
  timestamp since;                         ///< when the reported status began
  timestamp at;                            ///< when this notification was queued
  std::string application_url;             ///< the application page (HEARTBEATD_PUBLIC_URL)
  int attempt = 1;                         ///< 1 for the first try
};

/// Why a delivery attempt failed.
struct delivery_error {
  std::string message;
  bool permanent = false; ///< retrying cannot help (4xx other than 429, bad address, ...)
  /// The receiver asked to wait this long before the next attempt (Retry-After).
  std::optional<std::chrono::seconds> retry_after;
};

/// The outcome of one attempt: empty when delivered.
using delivery_result = std::optional<delivery_error>;

} // namespace hb::alerts
