#pragma once

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <optional>
#include <string>

namespace hb {

/// How an admin secret (the API token, the web UI password) was settled at start-up.
struct admin_secret_state {
  std::string hash;                     ///< what presented secrets are checked against
  std::optional<std::string> generated; ///< made now: print it once, never again
  bool from_environment = false;
};

/// Uses the configured token if there is one; otherwise the stored hash; otherwise generates a
/// token and stores only its hash.
admin_secret_state ensure_admin_token(soci::session& session, db_backend backend,
                                      const std::optional<std::string>& configured);

/// Replaces the stored token with a new one and returns it (to be printed once).
std::string rotate_admin_token(soci::session& session, db_backend backend);

/// Uses the configured password if there is one (hashed in memory, not stored); otherwise the
/// stored hash; otherwise generates a password and stores only its hash.
admin_secret_state ensure_admin_password(soci::session& session, db_backend backend,
                                         const std::optional<std::string>& configured);

/// Stores the hash of `password` in place of the current one.
void set_admin_password(soci::session& session, db_backend backend, const std::string& password);

/// The stored hashes as they are now (nothing: none stored), for a running server to notice
/// `rotate-admin-token` and `set-admin-password`.
std::optional<std::string> stored_admin_token_hash(soci::session& session);
std::optional<std::string> stored_admin_password_hash(soci::session& session);

} // namespace hb
