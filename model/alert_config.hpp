#pragma once

#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace hb {

/// One row of `alert_configs`: where an application's alerts go.
struct alert_config {
  std::int64_t id = 0;
  std::int64_t application_id = 0;
  std::string channel; ///< email, slack, discord, sms, webhook
  std::string target;  ///< address, URL or phone number, checked by alerts::target_problem
  bool enabled = true;
  timestamp created_at;
  timestamp updated_at;
};

/// Fields an update may change; unset ones stay as they are.
struct alert_config_patch {
  std::optional<std::string> channel;
  std::optional<std::string> target;
  std::optional<bool> enabled;
};

} // namespace hb
