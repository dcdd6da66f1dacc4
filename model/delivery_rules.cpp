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

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Length of the sequence this byte starts, and the smallest code point it may encode
    // (shorter encodings of a code point are invalid, as are surrogates and > U+10FFFF).
    std::size_t len = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80) {
      len = 1, cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

notification_outcome decide_outcome(std::int64_t id, int attempt,
                                    const alerts::delivery_result& result, bool retries,
                                    timestamp now, const retry_limits& limits, double jitter) {
  using state = notification_outcome::state;
  notification_outcome o{id, attempt, state::delivered, now, std::nullopt, {}};
  if (!result)
    return o;
  o.last_error = valid_utf8(result->message);
  if (result->permanent || !retries) {
    o.what = state::failed;
    return o;
  }
  if (attempt >= limits.max_attempts) {
    o.what = state::failed;
    o.last_error = fmt::format("gave up after {} attempts: {}", attempt, o.last_error);
    return o;
  }
  o.what = state::retry;
  o.next_attempt = now + std::chrono::duration_cast<timestamp::duration>(
                             retry_delay(attempt, limits, jitter, result->retry_after));
  return o;
}

} // namespace hb
