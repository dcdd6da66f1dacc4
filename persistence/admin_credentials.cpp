#include "persistence/admin_credentials.hpp"

#include "persistence/sql_time.hpp"
#include "util/secrets.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

constexpr const char* token_secret_name = "admin_token";
constexpr const char* password_secret_name = "admin_password";

/// Stores `hash` under `name`; with `replace` false only if none is stored yet (nodes starting
/// together: the first one's token stands). Returns whether it was stored.
bool store_secret(soci::session& session, db_backend backend, const std::string& name,
                  const std::string& hash, bool replace) {
  long long now = to_micros(system_now());
  const auto sql = fmt::format(
      "INSERT INTO server_secrets (name, hash, updated_at) VALUES (:n, :h, {0}) ON CONFLICT (name) "
      "{1}",
      sql_write_time(backend, ":t"),
      replace ? "DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at"
              : "DO NOTHING");
  soci::statement st =
      (session.prepare << sql, soci::use(name, "n"), soci::use(hash, "h"), soci::use(now, "t"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<std::string> stored_secret(soci::session& session, const std::string& name) {
  std::string stored;
  session << "SELECT hash FROM server_secrets WHERE name = :n", soci::use(name), soci::into(stored);
  if (!session.got_data())
    return std::nullopt;
  return stored;
}

/// The configured secret if there is one (hashed in memory, not stored); otherwise the stored
/// hash; otherwise a generated secret, of which only the hash is stored.
admin_secret_state ensure_secret(soci::session& session, db_backend backend,
                                 const std::string& name,
                                 const std::optional<std::string>& configured,
                                 std::string (*hash)(std::string_view), std::string (*generate)()) {
  admin_secret_state state;
  if (configured) {
    state.hash = hash(*configured);
    state.from_environment = true;
    return state;
  }
  if (auto stored = stored_secret(session, name)) {
    state.hash = *stored;
    return state;
  }
  auto secret = generate();
  auto hashed = hash(secret);
  if (!store_secret(session, backend, name, hashed, /*replace=*/false))
    // Another node stored one first: its secret stands.
    return ensure_secret(session, backend, name, configured, hash, generate);
  state.hash = std::move(hashed);
  state.generated = std::move(secret);
  return state;
}

} // namespace

admin_secret_state ensure_admin_token(soci::session& session, db_backend backend,
                                      const std::optional<std::string>& configured) {
  return ensure_secret(session, backend, token_secret_name, configured, hash_token, generate_token);
}

std::string rotate_admin_token(soci::session& session, db_backend backend) {
  auto token = generate_token();
  store_secret(session, backend, token_secret_name, hash_token(token), /*replace=*/true);
  return token;
}

admin_secret_state ensure_admin_password(soci::session& session, db_backend backend,
                                         const std::optional<std::string>& configured) {
  return ensure_secret(session, backend, password_secret_name, configured, hash_password,
                       generate_password);
}

void set_admin_password(soci::session& session, db_backend backend, const std::string& password) {
  store_secret(session, backend, password_secret_name, hash_password(password), /*replace=*/true);
}

std::optional<std::string> stored_admin_token_hash(soci::session& session) {
  return stored_secret(session, token_secret_name);
}

std::optional<std::string> stored_admin_password_hash(soci::session& session) {
  return stored_secret(session, password_secret_name);
}

} // namespace hb
