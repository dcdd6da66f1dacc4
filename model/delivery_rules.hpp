#pragma once

#include "alerts/notification.hpp"

#include "util/time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb {

/// What became of one delivery attempt, as the notification row records it.
struct notification_outcome {
  enum class state { delivered, retry, failed };
  std::int64_t id = 0;
  int attempts = 0; ///< attempts made so far, this one included
  state what = state::retry;
  timestamp at;                          ///< when the attempt ended
  std::optional<timestamp> next_attempt; ///< for state::retry
  std::string last_error;                ///< empty when delivered
};

/// How persistently a notification is retried.
struct retry_limits {
  int max_attempts = 10;
  std::chrono::milliseconds base{2000};                       ///< delay before the first retry
  std::chrono::milliseconds max_delay{std::chrono::hours{1}}; ///< backoff and Retry-After cap
};

/// The delay before the attempt after `attempt` (1-based): base * 2^(attempt-1), capped, then
/// "equal jitter" (between half and all of it) so that a storm of failures does not retry in
/// lockstep. `jitter` is a random number in [0, 1). A receiver's Retry-After wins when given.
std::chrono::milliseconds retry_delay(int attempt, const retry_limits& limits, double jitter,
                                      std::optional<std::chrono::seconds> retry_after);

/// `text` with every byte that is not part of valid UTF-8 replaced by '?': error texts quote
/// receivers' answers, and PostgreSQL (and JSON) refuse invalid UTF-8.
std::string valid_utf8(std::string_view text);

/// A token bucket: at most `rate` sends per second on average, in bursts of up to a tenth of a
/// second's worth (at least one). A rate of 0 never waits.
class delivery_pace {
public:
  using clock = std::chrono::steady_clock;
  delivery_pace() = default;
  explicit delivery_pace(double rate) : rate_{rate}, burst_{std::max(1.0, rate / 10)} {
    tokens_ = burst_;
  }

  /// Takes one send at `now`: zero when it may go now, else how long until it may.
  std::chrono::milliseconds take(clock::time_point now) {
    if (rate_ <= 0)
      return std::chrono::milliseconds{0};
    if (last_ != clock::time_point{})
      tokens_ =
          std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return std::chrono::milliseconds{0};
    }
    const auto wait = std::chrono::duration<double>((1 - tokens_) / rate_);
    return std::max(std::chrono::milliseconds{1},
                    std::chrono::ceil<std::chrono::milliseconds>(wait));
  }

private:
  double rate_ = 0;
  double burst_ = 1;
  double tokens_ = 1;
  clock::time_point last_{};
};

/// Decides the outcome of attempt `attempt` of notification `id`, which ended at `now` with
/// `result`: delivered; failed when the error is permanent, `retries` is false (tests) or the
/// attempts are used up; otherwise retried after retry_delay.
notification_outcome decide_outcome(std::int64_t id, int attempt,
                                    const alerts::delivery_result& result, bool retries,
                                    timestamp now, const retry_limits& limits, double jitter);

} // namespace hb
