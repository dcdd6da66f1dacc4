#pragma once

#include <optional>
#include <string_view>

namespace hb {

/// The state of a monitored application (DESIGN.md).
enum class app_status { new_, up, late, down, paused };

constexpr std::string_view to_string(app_status s) {
  switch (s) {
  case app_status::new_:
    return "new";
  case app_status::up:
    return "up";
  case app_status::late:
    return "late";
  case app_status::down:
    return "down";
  case app_status::paused:
    return "paused";
  }
  return "new";
}

constexpr std::optional<app_status> parse_status(std::string_view text) {
  for (auto s :
       {app_status::new_, app_status::up, app_status::late, app_status::down, app_status::paused})
    if (to_string(s) == text)
      return s;
  return std::nullopt;
}

} // namespace hb
