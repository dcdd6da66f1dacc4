#pragma once

#include <fmt/format.h>

#include <mutex>
#include <optional>
#include <string_view>

namespace hb {

enum class log_level { error = 0, warn = 1, info = 2, debug = 3 };

std::optional<log_level> parse_log_level(std::string_view text);

/// Writes one timestamped line per call to stderr (systemd's journal picks it up).
/// One instance is made in main and shared by reference; it has no global state.
class logger {
public:
  explicit logger(log_level level) : level_{level} {}

  bool enabled(log_level level) const { return level <= level_; }

  template <class... Ts> void error(fmt::format_string<Ts...> f, Ts&&... xs) const {
    write(log_level::error, f, std::forward<Ts>(xs)...);
  }
  template <class... Ts> void warn(fmt::format_string<Ts...> f, Ts&&... xs) const {
    write(log_level::warn, f, std::forward<Ts>(xs)...);
  }
  template <class... Ts> void info(fmt::format_string<Ts...> f, Ts&&... xs) const {
    write(log_level::info, f, std::forward<Ts>(xs)...);
  }
  template <class... Ts> void debug(fmt::format_string<Ts...> f, Ts&&... xs) const {
    write(log_level::debug, f, std::forward<Ts>(xs)...);
  }

private:
  template <class... Ts>
  void write(log_level level, fmt::format_string<Ts...> f, Ts&&... xs) const {
    if (enabled(level))
      emit(level, fmt::format(f, std::forward<Ts>(xs)...));
  }
  void emit(log_level level, std::string_view line) const;

  log_level level_;
  mutable std::mutex mutex_;
};

} // namespace hb
