#pragma once

#include "alerts/notification.hpp"

#include "util/time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

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

/// Decides the outcome of attempt `attempt` of notification `id`, which ended at `now` with
/// `result`: delivered; failed when the error is permanent, `retries` is false (tests) or the
/// attempts are used up; otherwise retried after retry_delay.
notification_outcome decide_outcome(std::int64_t id, int attempt,
                                    const alerts::delivery_result& result, bool retries,
                                    timestamp now, const retry_limits& limits, double jitter);

} // namespace hb
