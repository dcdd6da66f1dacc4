#pragma once

#include "model/status.hpp"

#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace hb {

/// What an admin registers: the fields of a new application.
struct application_spec {
  std::string name;
  std::int64_t expected_interval_s = 60;
  std::int64_t grace_period_s = 0;
  std::int64_t reminder_interval_s = 0; ///< 0: no reminders while down
};

/// One row of `applications`.
struct application_record {
  std::int64_t id = 0;
  std::string uuid;
  std::string name;
  std::int64_t expected_interval_s = 0;
  std::int64_t grace_period_s = 0;
  std::int64_t reminder_interval_s = 0;
  std::optional<timestamp> last_heartbeat;
  app_status status = app_status::new_;
  bool is_active = true;
  /// When it was last resumed after a pause: its window runs from then (like the actor's).
  std::optional<timestamp> resumed_at;
  /// When the stored status last changed (unset while new).
  std::optional<timestamp> status_changed_at;
  timestamp created_at;
  timestamp updated_at;
};

} // namespace hb
