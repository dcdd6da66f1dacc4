#include "alerts/slack_channel.hpp"

#include "alerts/message.hpp"
#include "alerts/target_checks.hpp"
#include "alerts/text_util.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hb::alerts {

namespace {

constexpr std::size_t max_section_text = 3000; // Slack's limit for a section's text

// Slack mrkdwn gives &, < and > a meaning; these three are all it asks to escape.
std::string mrkdwn_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string body(const notification& n) {
  const auto headline = render_template("headline", n);
  const auto text = render_template("text", n);
  auto blocks = nlohmann::json::array();
  blocks.push_back(
      {{"type", "section"},
       {"text", {{"type", "mrkdwn"}, {"text", shorten(mrkdwn_escape(text), max_section_text)}}}});
  if (!n.application_url.empty()) {
    // A link is <url|label>; a | or > in the URL would end it early.
    const auto link = fmt::format("<{}|Open {} in heartbeatd>", mrkdwn_escape(n.application_url),
                                  mrkdwn_escape(n.application_name));
    blocks.push_back({{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", link}}}}});
  }
  const nlohmann::json doc = {{"text", mrkdwn_escape(headline)}, {"blocks", blocks}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

slack_channel::slack_channel(const channel_settings& settings) : http_{settings.timeout} {}

std::optional<std::string> slack_channel::target_problem(std::string_view target,
                                                         const channel_settings&) {
  return http_url_problem(target);
}

delivery_result slack_channel::notify(const notification& n) {
  return http_.post(
      {.url = n.target, .headers = notification_headers(n, "application/json"), .body = body(n)});
}

} // namespace hb::alerts
