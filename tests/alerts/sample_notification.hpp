#pragma once

#include "alerts/notification.hpp"

#include <chrono>

namespace hb::test {

/// A "down" notification for "billing-cron", down for 5 minutes, as the tests' starting point.
inline alerts::notification
sample_notification(alerts::notification_kind kind = alerts::notification_kind::down) {
  using namespace std::chrono_literals;
  alerts::notification n;
  n.id = 42;
  n.kind = kind;
  n.channel = "webhook";
  n.target = "http://127.0.0.1:1/hook";
  n.application_id = 7;
  n.application_uuid = "0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11";
  n.application_name = "billing-cron";
  n.status = kind == alerts::notification_kind::up ? app_status::up : app_status::down;
  n.since = from_micros(1'795'000'000'000'000);
  n.at = n.since + 5min;
  n.last_heartbeat = n.since - 90s;
  n.application_url = "https://hb.example.org/apps/0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11";
  return n;
}

} // namespace hb::test
