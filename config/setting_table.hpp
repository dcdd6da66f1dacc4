#pragma once

#include "config/settings.hpp"

#include <span>
#include <string>
#include <string_view>

namespace hb {

/// One setting: where it comes from, what it means and how it is checked.
struct setting_spec {
  std::string_view env;      ///< environment variable, e.g. HEARTBEATD_LISTEN
  std::string_view flag;     ///< command-line flag without dashes, e.g. listen
  std::string_view fallback; ///< default as text; empty: unset
  std::string_view allowed;  ///< what values are accepted, for error messages
  std::string_view help;
  /// Stores `value` into `s`; returns false when it is not acceptable.
  bool (*apply)(settings& s, const std::string& value);
  bool secret = false;       ///< never echo the value
  bool has_password = false; ///< echo it with any password masked
};

/// Every setting heartbeatd knows.
std::span<const setting_spec> setting_specs();

} // namespace hb
