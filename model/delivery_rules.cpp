#include "model/delivery_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hb {

std::chrono::milliseconds retry_delay(int attempt, const retry_limits& limits, double jitter,
                                      std::optional<std::chrono::seconds> retry_after) {
  using std::chrono::milliseconds;
  if (retry_after)
    return std::min<milliseconds>(std::max(*retry_after, std::chrono::seconds{0}),
                                  limits.max_delay);
  // Doubling in floating point cannot overflow; the cap bounds it long before it matters.
  const double full =
      std::min(static_cast<double>(limits.base.count()) * std::pow(2.0, std::max(attempt, 1) - 1),
               static_cast<double>(limits.max_delay.count()));
  const double jittered = full / 2 + full / 2 * std::clamp(jitter, 0.0, 1.0);
  return milliseconds{static_cast<milliseconds::rep>(jittered)};
}

notification_outcome decide_outcome(std::int64_t id, int attempt,
                                    const alerts::delivery_result& result, bool retries,
                                    timestamp now, const retry_limits& limits, double jitter) {
  using state = notification_outcome::state;
  notification_outcome o{id, attempt, state::delivered, now, std::nullopt, {}};
  if (!result)
    return o;
  o.last_error = result->message;
  if (result->permanent || !retries) {
    o.what = state::failed;
    return o;
  }
  if (attempt >= limits.max_attempts) {
    o.what = state::failed;
    o.last_error = fmt::format("gave up after {} attempts: {}", attempt, result->message);
    return o;
  }
  o.what = state::retry;
  o.next_attempt = now + std::chrono::duration_cast<timestamp::duration>(
                             retry_delay(attempt, limits, jitter, result->retry_after));
  return o;
}

} // namespace hb
