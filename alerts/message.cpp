#include "alerts/message.hpp"

#include "alerts/embedded_templates.hpp"
#include "alerts/text_util.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace hb::alerts {

namespace mustache = kainjow::mustache;

namespace {

std::string upper(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string plural(std::int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

/// The values the templates may use; see docs/alert-channels.md for the list.
mustache::data template_data(const notification& n, const std::string& app_name) {
  mustache::data d;
  d.set("app_name", app_name);
  d.set("app_id", std::to_string(n.application_id));
  d.set("app_uuid", n.application_uuid);
  d.set("kind", std::string{to_string(n.kind)});
  d.set("down", n.kind == notification_kind::down);
  d.set("up", n.kind == notification_kind::up);
  d.set("reminder", n.kind == notification_kind::reminder);
  d.set("test", n.kind == notification_kind::test);
  d.set("status", std::string{to_string(n.status)});
  d.set("status_upper", upper(to_string(n.status)));
  d.set("since", iso8601_seconds(n.since));
  d.set("duration", human_duration(n.at - n.since));
  d.set("at", iso8601_seconds(n.at));
  d.set("last_heartbeat", n.last_heartbeat ? iso8601_seconds(*n.last_heartbeat) : "never");
  d.set("url", n.application_url);
  d.set("has_url", !n.application_url.empty());
  d.set("notification_id", std::to_string(n.id));
  return d;
}

std::string render_with_name(std::string_view name, const notification& n,
                             const std::string& app_name) {
  const auto source = embedded_template(name);
  if (!source)
    throw std::logic_error(fmt::format("no alert template named '{}'", name));
  mustache::mustache tmpl{std::string{*source}};
  if (!tmpl.is_valid())
    throw std::logic_error(fmt::format("alert template '{}': {}", name, tmpl.error_message()));
  auto text = tmpl.render(template_data(n, app_name));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text;
}

} // namespace

std::string render_template(std::string_view name, const notification& n) {
  return render_with_name(name, n, n.application_name);
}

std::string render_sms(const notification& n) {
  auto text = render_with_name("sms", n, n.application_name);
  if (text.size() <= max_sms_length)
    return text;
  // The name is the only unbounded part: shorten it by the excess so the link survives.
  const auto excess = text.size() - max_sms_length;
  if (excess < n.application_name.size()) {
    const auto name = shorten(n.application_name, n.application_name.size() - excess);
    text = render_with_name("sms", n, name);
  }
  return std::string{utf8_prefix(text, max_sms_length)};
}

message_texts render_message(const notification& n) {
  return message_texts{
      .subject = render_template("subject", n),
      .headline = render_template("headline", n),
      .text = render_template("text", n),
      .html = render_template("html", n),
      .sms = render_sms(n),
  };
}

std::string human_duration(std::chrono::microseconds d) {
  using namespace std::chrono;
  const auto total = floor<minutes>(d);
  if (total < minutes{1})
    return "less than a minute";
  const auto day_count = floor<days>(total).count();
  const auto hour_count = floor<hours>(total % days{1}).count();
  const auto minute_count = (total % hours{1}).count();
  // Two units are precise enough for an alert; the smaller one is left out when it is zero.
  if (day_count > 0)
    return hour_count > 0 ? plural(day_count, "day") + " " + plural(hour_count, "hour")
                          : plural(day_count, "day");
  if (hour_count > 0)
    return minute_count > 0 ? plural(hour_count, "hour") + " " + plural(minute_count, "minute")
                            : plural(hour_count, "hour");
  return plural(minute_count, "minute");
}

std::string iso8601_seconds(timestamp t) {
  return to_iso8601(std::chrono::floor<std::chrono::seconds>(t)).substr(0, 19) + "Z";
}

} // namespace hb::alerts
