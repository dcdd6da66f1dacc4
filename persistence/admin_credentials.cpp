#include "persistence/admin_credentials.hpp"

#include "persistence/sql_time.hpp"
#include "util/secrets.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

constexpr const char* token_secret_name = "admin_token";

void store_secret(soci::session& session, db_backend backend, const std::string& hash) {
  long long now = to_micros(system_now());
  const std::string name = token_secret_name;
  const auto sql = fmt::format(
    "INSERT INTO server_secrets (name, hash, updated_at) VALUES (:n, :h, {0}) "
    "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at",
    sql_write_time(backend, ":t"));
  session << sql, soci::use(name, "n"), soci::use(hash, "h"), soci::use(now, "t");
}

} // namespace

admin_token_state ensure_admin_token(soci::session& session, db_backend backend,
                                     const std::optional<std::string>& configured) {
  admin_token_state state;
  if (configured) {
    state.hash = hash_token(*configured);
    state.from_environment = true;
    return state;
  }
  std::string stored;
  const std::string name = token_secret_name;
  session << "SELECT hash FROM server_secrets WHERE name = :n", soci::use(name), soci::into(stored);
  if (session.got_data()) {
    state.hash = stored;
    return state;
  }
  auto token = generate_token();
  state.hash = hash_token(token);
  store_secret(session, backend, state.hash);
  state.generated = std::move(token);
  return state;
}

std::string rotate_admin_token(soci::session& session, db_backend backend) {
  auto token = generate_token();
  store_secret(session, backend, hash_token(token));
  return token;
}

} // namespace hb
