#include "alerts/discord_channel.hpp"

#include "alerts/message.hpp"
#include "alerts/target_checks.hpp"
#include "alerts/text_util.hpp"

#include <nlohmann/json.hpp>

namespace hb::alerts {

namespace {

// Discord's limits, in characters; bytes are a safe bound.
constexpr std::size_t max_content = 2000;
constexpr std::size_t max_title = 256;
constexpr std::size_t max_description = 4096;

int color(notification_kind kind) {
  switch (kind) {
  case notification_kind::down:
    return 0xD32F2F; // red
  case notification_kind::up:
    return 0x388E3C; // green
  case notification_kind::reminder:
    return 0xF57C00; // orange
  case notification_kind::test:
    return 0x1976D2; // blue
  }
  return 0x1976D2;
}

std::string body(const notification& n) {
  nlohmann::json embed = {
      {"title", shorten(render_template("subject", n), max_title)},
      {"description", shorten(render_template("text", n), max_description)},
      {"color", color(n.kind)},
      {"timestamp", to_iso8601(n.since)},
  };
  if (!n.application_url.empty())
    embed["url"] = n.application_url;
  const nlohmann::json doc = {
      {"content", shorten(render_template("headline", n), max_content)},
      {"embeds", {embed}},
      // An application named "@everyone" must not ping a whole server.
      {"allowed_mentions", {{"parse", nlohmann::json::array()}}},
  };
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

discord_channel::discord_channel(const channel_settings& settings) : http_{settings.timeout} {}

std::optional<std::string> discord_channel::target_problem(std::string_view target,
                                                           const channel_settings&) {
  return http_url_problem(target);
}

delivery_result discord_channel::notify(const notification& n) {
  return http_.post(
      {.url = n.target, .headers = notification_headers(n, "application/json"), .body = body(n)});
}

} // namespace hb::alerts
