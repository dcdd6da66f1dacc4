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
  /// Upper bounds of the batch-size histogram buckets (items per transaction); the last is +Inf.
  static constexpr std::array<std::int64_t, 10> batch_size_bounds{1,  2,   5,   10,  20,
                                                                  50, 100, 200, 500, 1000};

  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> items{0};
  std::atomic<std::uint64_t> failed_batches{0};
  std::atomic<std::uint64_t> failed_items{0};
  /// Committed batches of heartbeats that went beside another one, in the place kept for status
  /// changes, because heartbeats backed up (batch_planner rule 7).
  std::atomic<std::uint64_t> overflow_batches{0};
  std::atomic<std::uint64_t> commit_us_sum{0};
  std::array<std::atomic<std::uint64_t>, latency_bounds_us.size() + 1> latency_buckets{};
  std::array<std::atomic<std::uint64_t>, batch_size_bounds.size() + 1> batch_size_buckets{};

  void observe_commit(std::size_t size, std::chrono::microseconds took) {
    batches.fetch_add(1, std::memory_order_relaxed);
    items.fetch_add(size, std::memory_order_relaxed);
    commit_us_sum.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
    count_in(latency_buckets, latency_bounds_us, took.count());
    count_in(batch_size_buckets, batch_size_bounds, static_cast<std::int64_t>(size));
  }

  /// Counts `value` in the first bucket whose upper bound holds it (the last one: +Inf).
  template <std::size_t N>
  static void count_in(std::array<std::atomic<std::uint64_t>, N + 1>& buckets,
                       const std::array<std::int64_t, N>& bounds, std::int64_t value) {
    std::size_t i = 0;
    while (i < N && value > bounds[i])
      ++i;
    buckets[i].fetch_add(1, std::memory_order_relaxed);
  }

  void observe_failure(std::size_t size) {
    failed_batches.fetch_add(1, std::memory_order_relaxed);
    failed_items.fetch_add(size, std::memory_order_relaxed);
  }
};

} // namespace hb
