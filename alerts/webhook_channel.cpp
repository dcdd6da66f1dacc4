#include "alerts/webhook_channel.hpp"

#include "alerts/target_checks.hpp"

#include <nlohmann/json.hpp>

namespace hb::alerts {

namespace {

std::string body(const notification& n) {
  nlohmann::json doc = {
      {"event", to_string(n.kind)},
      {"application",
       {{"id", n.application_id}, {"uuid", n.application_uuid}, {"name", n.application_name}}},
      {"status", to_string(n.status)},
      {"last_heartbeat",
       n.last_heartbeat ? nlohmann::json(to_iso8601(*n.last_heartbeat)) : nullptr},
      {"since", to_iso8601(n.since)},
      {"at", to_iso8601(n.at)},
      {"url", n.application_url},
      {"notification_id", n.id},
  };
  // Replace, not throw, on invalid UTF-8 in a name: the alert matters more than the byte.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

webhook_channel::webhook_channel(const channel_settings& settings) : http_{settings.timeout} {}

std::optional<std::string> webhook_channel::target_problem(std::string_view target,
                                                           const channel_settings&) {
  return http_url_problem(target);
}

delivery_result webhook_channel::notify(const notification& n) {
  return http_.post(
      {.url = n.target, .headers = notification_headers(n, "application/json"), .body = body(n)});
}

} // namespace hb::alerts
