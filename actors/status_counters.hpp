#pragma once

#include "model/status_rules.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace hb {

/// How many applications are in each remembered status (new, up, down, paused), kept by the
/// application actors for /metrics. `late` is a phase of `up` and is counted there.
struct status_counters {
  std::array<std::atomic<std::int64_t>, 5> by_status{};

  static app_status bucket(const app_clock& c) {
    return c.is_active ? c.latched : app_status::paused;
  }
  void add(app_status s, std::int64_t n) {
    by_status[static_cast<std::size_t>(s)].fetch_add(n, std::memory_order_relaxed);
  }
  void move(app_status from, app_status to) {
    if (from != to) {
      add(from, -1);
      add(to, 1);
    }
  }
  std::int64_t count(app_status s) const {
    return by_status[static_cast<std::size_t>(s)].load(std::memory_order_relaxed);
  }
};

} // namespace hb
