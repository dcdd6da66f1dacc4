#pragma once

#include "util/time.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hb {

/// Slows down password guessing: after `max_failures` failed logins from one address within
/// `window` (counted from the first of them), that address is refused (429) until the window
/// ends, whatever it sends. A success clears its count. Thread-safe.
class login_limiter {
public:
  login_limiter(std::size_t max_failures = 5,
                std::chrono::seconds window = std::chrono::minutes{15},
                std::size_t max_addresses = 100000);

  /// How long `address` must wait, or nothing when it may try.
  std::optional<std::chrono::seconds> blocked(const std::string& address, timestamp now) const;

  void failed(const std::string& address, timestamp now);
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
