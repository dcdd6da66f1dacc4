#pragma once

#include "util/time.hpp"

#include <atomic>
#include <memory>

namespace hb {

/// A clock that moves only when the test says so; safe to read from actor threads.
class fake_clock {
public:
  explicit fake_clock(timestamp start)
      : now_{std::make_shared<std::atomic<std::int64_t>>(to_micros(start))} {}

  clock_fn fn() const {
    return [now = now_] { return from_micros(now->load()); };
  }
  timestamp now() const { return from_micros(now_->load()); }
  void advance(std::chrono::microseconds d) { now_->fetch_add(d.count()); }

private:
  std::shared_ptr<std::atomic<std::int64_t>> now_;
};

} // namespace hb
