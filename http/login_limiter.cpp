#include "http/login_limiter.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <iterator>
#include <netinet/in.h>

namespace hb {

namespace {

/// What attempts are counted under: the address, or for IPv6 its /64, which one client
/// usually holds whole (it could otherwise try five passwords from each of its addresses).
std::string limit_key(const std::string& address) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1)
    return address;
  if (IN6_IS_ADDR_V4MAPPED(&v6))
    return address.substr(address.rfind(':') + 1);
  char text[INET6_ADDRSTRLEN] = {};
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);
  inet_ntop(AF_INET6, &v6, text, sizeof text);
  return std::string{text} + "/64";
}

} // namespace

login_limiter::login_limiter(std::size_t max_failures, std::chrono::seconds window,
                             std::size_t max_addresses)
    : max_failures_{std::max<std::size_t>(1, max_failures)}, window_{window}, max_addresses_{
                                                                                  max_addresses} {}

std::optional<std::chrono::seconds> login_limiter::try_begin(const std::string& peer,
                                                             timestamp now) {
  const auto address = limit_key(peer);
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

void login_limiter::succeeded(const std::string& peer) {
  const auto address = limit_key(peer);
  std::lock_guard lock{mutex_};
  records_.erase(address);
}

} // namespace hb
