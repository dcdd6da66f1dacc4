#include "http/api.hpp"
#include "util/uuid.hpp"

namespace hb {

void api::heartbeat(const api_request& req, const responder& respond) const {
  const auto uuid = req.params.count("uuid") != 0 ? req.params.at("uuid") : std::string{};
  heartbeat(uuid, req.received_at, req.remote_addr, respond);
}

void api::heartbeat(std::string_view uuid, timestamp received_at, std::string remote_addr,
                    const responder& respond) const {
  auto metrics = ctx_.http;
  const auto key = parse_uuid(uuid); // either case
  if (!key) {
    metrics->heartbeat(heartbeat_result::unknown);
    respond(error_response(404, "unknown application"));
    return;
  }
  // Answered from the writer's completion, once the heartbeat is committed.
  auto done = [respond, metrics](const caf::error& err) {
    if (!err) {
      metrics->heartbeat(heartbeat_result::ok);
      respond(api_response{200, R"({"status":"ok"})", "application/json", {}}); // no JSON to build
    } else if (err.category() == hb_error_category &&
               err.code() == static_cast<std::uint8_t>(errc::unknown_application)) {
      metrics->heartbeat(heartbeat_result::unknown);
      respond(error_response(404, "unknown application"));
    } else if (err.category() == hb_error_category &&
               err.code() == static_cast<std::uint8_t>(errc::overloaded)) {
      metrics->heartbeat(heartbeat_result::overloaded);
      auto res = error_response(429, "too many heartbeats waiting, try again shortly");
      res.headers.emplace_back("Retry-After", "1");
      respond(std::move(res));
    } else {
      metrics->heartbeat(heartbeat_result::unavailable);
      auto res = error_response(503, "database unavailable, try again");
      res.headers.emplace_back("Retry-After", "1");
      respond(std::move(res));
    }
  };
  caf::anon_send(ctx_.apps.shard_for(*key), heartbeat_atom::value, *key, received_at,
                 std::move(remote_addr), completion{std::move(done)});
}

} // namespace hb
