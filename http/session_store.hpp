#pragma once

#include "util/time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hb {

/// The web UI's signed-in sessions, in memory: a restart signs everyone out, which for one
/// admin is a small price for not writing on every page view. Thread-safe.
///
/// A session id is 256 random bits; the map is keyed by its hash, so that not even a memory
/// dump holds usable ids. Each session has its own CSRF token.
class session_store {
public:
  struct issued {
    std::string id;   ///< for the cookie
    std::string csrf; ///< for the forms
  };

  session_store(std::chrono::seconds idle_timeout, std::chrono::seconds max_age,
                std::size_t max_sessions = 10000);

  /// Starts a session (at login: always a new id), signed in with the password of `generation`
  /// (admin_secrets::password_generation).
  issued create(timestamp now, std::uint64_t generation = 0);

  /// The CSRF token of a live session; nothing when the id is unknown, or the session has
  /// expired or was signed in with a password other than that of `generation` (it is then
  /// forgotten). With `activity` the session's idle time starts again; the dashboard's
  /// background polling is not activity, or an open tab would never time out.
  std::optional<std::string> touch(std::string_view id, timestamp now, bool activity = true,
                                   std::uint64_t generation = 0);

  /// Ends a session (logout). Unknown ids are ignored.
  void remove(std::string_view id);

  std::size_t size() const;

private:
  struct entry {
    std::string csrf;
    timestamp created;
    timestamp last_seen;
    std::uint64_t generation;
  };
  bool expired(const entry& e, timestamp now) const;
  /// Makes room for one more: drops expired sessions, then the least recently used.
  void make_room(timestamp now);

  std::chrono::seconds idle_timeout_;
  std::chrono::seconds max_age_;
  std::size_t max_sessions_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> sessions_;
};

} // namespace hb
