#pragma once

#include <atomic>
#include <cstdint>

namespace hb {

/// Delivery counters of the alert dispatcher, for /metrics. Written by the dispatcher only.
struct alert_metrics {
  std::atomic<std::uint64_t> delivered{0}; ///< notifications delivered
  std::atomic<std::uint64_t> retried{0};   ///< attempts that failed and will be retried
  std::atomic<std::uint64_t> failed{0};    ///< notifications given up on (permanent or exhausted)
  std::atomic<std::uint64_t> cancelled{0}; ///< not sent: alert disabled or application paused
  std::atomic<std::uint64_t> in_flight{0}; ///< being sent now
  /// Wake-ups the rate limit set to send what it held back: at most one is pending at a time.
  std::atomic<std::uint64_t> rate_waits{0};
};

} // namespace hb
