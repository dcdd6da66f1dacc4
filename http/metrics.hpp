#pragma once

#include "actors/alert_metrics.hpp"
#include "actors/status_counters.hpp"
#include "actors/writer_metrics.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hb {

/// The routes heartbeatd counts requests for (a fixed set: labels must not grow with input).
enum class route : std::uint8_t {
  heartbeat,
  applications,
  application,
  heartbeats,
  alerts,
  alert,
  notifications,
  healthz,
  metrics,
  ui,        ///< web UI pages and forms
  ui_static, ///< web UI style sheet and script
  other,
  count_
};

std::string_view route_name(route r);

/// What happened to heartbeats, for heartbeatd_heartbeats_received_total{result}.
enum class heartbeat_result : std::uint8_t {
  ok,
  unknown,
  unavailable,
  rejected,
  overloaded,
  count_
};

/// HTTP counters, updated from any thread.
class http_metrics {
public:
  static constexpr std::array<int, 15> statuses{200, 201, 204, 303, 400, 401, 403, 404,
                                                405, 413, 422, 429, 500, 503, 0 /* other */};

  void observe(route r, int status, std::chrono::microseconds took);
  void heartbeat(heartbeat_result r);

  /// Prometheus text exposition of these counters and of the ones given.
  /// `alerting` may be null.
  std::string render(const writer_metrics& writer, const status_counters& apps,
                     const alert_metrics* alerting) const;

private:
  static std::size_t status_index(int status);

  using counter = std::atomic<std::uint64_t>;
  std::array<std::array<counter, statuses.size()>, static_cast<std::size_t>(route::count_)>
      requests_{};
  std::array<counter, static_cast<std::size_t>(route::count_)> duration_us_{};
  std::array<counter, static_cast<std::size_t>(heartbeat_result::count_)> heartbeats_{};
};

} // namespace hb
