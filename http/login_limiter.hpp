#pragma once

#include "util/time.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hb {

/// Slows down password guessing: after `max_failures` login attempts from one address within
/// `window` (counted from the first of them) that did not succeed, that address is refused
/// (429) until the window ends, whatever it sends. An attempt counts as failed from the moment
/// it starts (the password check takes a while): many guesses sent at once cannot slip past
/// the limit while the first ones are being checked. A success clears the count. IPv6
/// addresses count per /64 (one client's usual share). Thread-safe.
class login_limiter {
public:
  login_limiter(std::size_t max_failures = 5,
                std::chrono::seconds window = std::chrono::minutes{15},
                std::size_t max_addresses = 100000);

  /// Starts an attempt from `address`: nothing when it may go on (it is counted), else how
  /// long the address must wait.
  std::optional<std::chrono::seconds> try_begin(const std::string& address, timestamp now);

  /// The attempt found the right password: the address starts afresh.
  void succeeded(const std::string& address);

private:
  struct record {
    std::size_t failures = 0;
    timestamp window_start;
  };

  std::size_t max_failures_;
  std::chrono::seconds window_;
  std::size_t max_addresses_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, record> records_;
};

} // namespace hb
