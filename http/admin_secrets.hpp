#pragma once

#include "util/logger.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace hb {

class read_pool;

/// The hashes that the admin API token and the web UI password are checked against.
/// `heartbeatd rotate-admin-token` and `set-admin-password` store new ones while a server runs;
/// admin_secrets_watch brings them here, so that the old secret stops working without a restart
/// (someone rotating a leaked token expects no less). A secret set in the environment is fixed:
/// the stored one never replaces it. Thread-safe.
class admin_secrets {
public:
  struct secret {
    std::string hash;
    bool fixed = false; ///< from the environment
  };

  admin_secrets(secret token, secret password);

  std::string token_hash() const;
  struct password_state {
    std::string hash;
    std::uint64_t generation = 0; ///< changes since start-up: sessions of an older one end
  };
  password_state password() const;
  std::uint64_t password_generation() const;

  struct changes {
    bool token = false;
    bool password = false;
  };
  /// Takes the hashes stored now (nothing: none stored); returns which ones changed.
  changes take_stored(const std::optional<std::string>& token,
                      const std::optional<std::string>& password);

private:
  mutable std::mutex mutex_;
  secret token_;
  secret password_;
  std::uint64_t password_generation_ = 0;
};

/// Re-reads the stored secrets on the read pool every `period`, and logs each change. Stops (and
/// joins its thread) when destroyed: it must go before the read pool.
class admin_secrets_watch {
public:
  admin_secrets_watch(read_pool& reads, std::shared_ptr<admin_secrets> secrets,
                      std::shared_ptr<const logger> log, std::chrono::milliseconds period);

private:
  std::jthread thread_;
};

} // namespace hb
