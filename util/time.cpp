#include "util/time.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace hb {

timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string to_iso8601(timestamp t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto micros = (t - secs).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", secs, micros);
}

} // namespace hb
