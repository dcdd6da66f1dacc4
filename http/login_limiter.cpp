#include "http/login_limiter.hpp"

#include <algorithm>

namespace hb {

login_limiter::login_limiter(std::size_t max_failures, std::chrono::seconds window,
                             std::size_t max_addresses)
    : max_failures_{std::max<std::size_t>(1, max_failures)}, window_{window}, max_addresses_{
                                                                                  max_addresses} {}

std::optional<std::chrono::seconds> login_limiter::try_begin(const std::string& address,
                                                             timestamp now) {
  std::lock_guard lock{mutex_};
  if (auto it = records_.find(address); it != records_.end()) {
    const auto ends = it->second.window_start + window_;
    if (it->second.failures >= max_failures_ && now < ends)
      // Rounded up: "try again in 0 s" would invite an immediate, refused retry.
      return std::chrono::ceil<std::chrono::seconds>(ends - now);
  } else if (records_.size() >= max_addresses_) {
    // Many addresses guessing at once: forget the ones whose window is over. If all are still
    // counting, the oldest goes, so memory stays bounded.
    std::erase_if(records_,
                  [&](const auto& kv) { return now >= kv.second.window_start + window_; });
    if (records_.size() >= max_addresses_)
      records_.erase(std::min_element(records_.begin(), records_.end(), [](auto& a, auto& b) {
        return a.second.window_start < b.second.window_start;
      }));
  }
  auto& r = records_[address];
  if (r.failures == 0 || now >= r.window_start + window_)
    r = record{0, now};
  ++r.failures;
  return std::nullopt;
}

void login_limiter::succeeded(const std::string& address) {
  std::lock_guard lock{mutex_};
  records_.erase(address);
}

} // namespace hb
