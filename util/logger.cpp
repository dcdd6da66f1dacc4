#include "util/logger.hpp"

#include "util/time.hpp"

#include <array>
#include <cstdio>

namespace hb {

namespace {
constexpr std::array<std::string_view, 4> level_names{"ERROR", "WARN", "INFO", "DEBUG"};
} // namespace

std::optional<log_level> parse_log_level(std::string_view text) {
  constexpr std::array<std::string_view, 4> names{"error", "warn", "info", "debug"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (text == names[i])
      return static_cast<log_level>(i);
  return std::nullopt;
}

void logger::emit(log_level level, std::string_view line) const {
  const auto text = fmt::format("{} {:<5} {}\n", to_iso8601(system_now()),
                                level_names[static_cast<std::size_t>(level)], line);
  std::lock_guard guard{mutex_};
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

} // namespace hb
