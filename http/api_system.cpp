#include "http/api.hpp"
#include "persistence/read_pool.hpp"
#include "util/secrets.hpp"

#include <cctype>

namespace hb {

bool api::authorized(const api_request& req) const {
  constexpr std::string_view scheme = "bearer "; // the scheme is case-insensitive (RFC 9110)
  if (!req.authorization || req.authorization->size() <= scheme.size())
    return false;
  const std::string_view header{*req.authorization};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i])
      return false;
  return token_matches(header.substr(scheme.size()), ctx_.secrets->token_hash());
}

void api::healthz(const api_request&, const responder& respond) const {
  nlohmann::json body{{"status", "ok"},
                      {"version", HEARTBEATD_VERSION},
                      {"database", ctx_.backend == db_backend::sqlite3 ? "sqlite3" : "postgresql"}};
  ctx_.reads->post(
      [respond, body](soci::session& s) mutable {
        int one = 0;
        s << "SELECT 1", soci::into(one);
        body["database_ok"] = true;
        respond(json_response(200, body));
      },
      [respond, body, log = ctx_.log](const std::string& why) mutable {
        // The detail can name hosts and users: the log gets it, the unauthenticated answer not.
        log->warn("healthz: database check failed: {}", why);
        body["status"] = "unavailable";
        body["database_ok"] = false;
        body["error"] = "database unreachable";
        respond(json_response(503, body));
      });
}

void api::metrics(const api_request&, const responder& respond) const {
  respond(api_response{200,
                       ctx_.http->render(*ctx_.writer, *ctx_.statuses, ctx_.alerting.get()),
                       "text/plain; version=0.0.4; charset=utf-8",
                       {}});
}

} // namespace hb
