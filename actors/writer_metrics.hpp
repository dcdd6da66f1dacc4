#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace hb {

/// Counters the writer keeps for /metrics and benchmarks; written by one actor, read anywhere.
struct writer_metrics {
  /// Upper bounds (microseconds) of the commit-latency histogram buckets; the last is +Inf.
  static constexpr std::array<std::int64_t, 10> latency_bounds_us{
      500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 250000, 1000000};

  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> items{0};
  std::atomic<std::uint64_t> failed_batches{0};
  std::atomic<std::uint64_t> failed_items{0};
  /// Committed batches of heartbeats that went beside another one, in the place kept for status
  /// changes, because heartbeats backed up (batch_planner rule 7).
  std::atomic<std::uint64_t> overflow_batches{0};
  std::atomic<std::uint64_t> commit_us_sum{0};
  std::array<std::atomic<std::uint64_t>, latency_bounds_us.size() + 1> latency_buckets{};

  void observe_commit(std::size_t size, std::chrono::microseconds took) {
    batches.fetch_add(1, std::memory_order_relaxed);
    items.fetch_add(size, std::memory_order_relaxed);
    commit_us_sum.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
    std::size_t i = 0;
    while (i < latency_bounds_us.size() && took.count() > latency_bounds_us[i])
      ++i;
    latency_buckets[i].fetch_add(1, std::memory_order_relaxed);
  }

  void observe_failure(std::size_t size) {
    failed_batches.fetch_add(1, std::memory_order_relaxed);
    failed_items.fetch_add(size, std::memory_order_relaxed);
  }
};

} // namespace hb
