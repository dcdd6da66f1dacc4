#include "http/web_view.hpp"

#include "alerts/channel.hpp"

#include "http/web_embedded.hpp"
#include "http/web_support.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace hb::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::string_view template_names[] = {
    "layout",           "login",      "dashboard",      "application",
    "application_form", "alert_form", "confirm_delete", "error"};

mustache::mustache compile(std::string_view name) {
  const auto source = embedded_template(name);
  if (!source)
    throw std::logic_error(fmt::format("no web template named '{}'", name));
  mustache::mustache tmpl{std::string{*source}};
  if (!tmpl.is_valid())
    throw std::logic_error(fmt::format("web template '{}': {}", name, tmpl.error_message()));
  return tmpl;
}

} // namespace

void check_templates() {
  for (auto name : template_names)
    compile(name);
}

std::string render(std::string_view name, const view_data& d) {
  // Parsed per call: a page's templates take microseconds to parse, and a compiled template is
  // not safe to render from two threads at once.
  auto tmpl = compile(name);
  auto out = tmpl.render(d);
  if (!tmpl.error_message().empty())
    throw std::logic_error(fmt::format("web template '{}': {}", name, tmpl.error_message()));
  return out;
}

std::string page(const layout& l, std::string_view body_template, const view_data& d) {
  view_data outer;
  outer.set("title", l.title);
  outer.set("version", std::string{HEARTBEATD_VERSION});
  outer.set("signed_in", !l.csrf.empty());
  outer.set("csrf", l.csrf);
  outer.set("has_notice", !l.notice.empty());
  outer.set("notice", l.notice);
  outer.set("refresh_ms", std::to_string(l.refresh_ms));
  outer.set("content", render(body_template, d));
  return render("layout", outer);
}

view_data time_view(std::optional<timestamp> t, timestamp now) {
  view_data d;
  d.set("has", t.has_value());
  if (t) {
    d.set("iso", to_iso8601(*t));
    d.set("exact", exact_time(*t));
    d.set("relative", relative_time(*t, now));
  }
  return d;
}

view_data channel_options(std::string_view selected) {
  view_data list{view_data::type::list};
  for (auto name : alerts::channel_names()) {
    view_data option;
    option.set("value", std::string{name});
    option.set("selected", name == selected);
    list.push_back(option);
  }
  return list;
}

view_data alert_form_view(const alert_form_state& form) {
  view_data d;
  d.set("channels", channel_options(form.channel));
  d.set("target", form.target);
  d.set("enabled", form.enabled);
  d.set("has_error", !form.error.message.empty());
  d.set("error", form.error.message);
  d.set("error_field", form.error.field.empty() ? std::string{"target"} : form.error.field);
  return d;
}

std::string notice_text(const api_request& req) {
  static constexpr std::pair<std::string_view, std::string_view> notices[] = {
      {"created", "Application created. Point your job at the heartbeat URL below."},
      {"updated", "Application updated."},
      {"paused", "Application paused: it sends no alerts until resumed."},
      {"resumed", "Application resumed."},
      {"deleted", "Application deleted."},
      {"alert_added", "Alert added."},
      {"alert_updated", "Alert updated."},
      {"alert_enabled", "Alert enabled."},
      {"alert_disabled", "Alert disabled."},
      {"alert_deleted", "Alert deleted."},
      {"test_delivered", "Test notification delivered."},
      {"test_failed", "Test notification failed: see the notification log."},
  };
  auto it = req.query.find("notice");
  if (it == req.query.end())
    return "";
  for (const auto& [key, text] : notices)
    if (key == it->second)
      return std::string{text};
  return "";
}

api_response error_page(int status, std::string_view message, const std::string& csrf) {
  view_data d;
  d.set("status", std::to_string(status));
  d.set("message", std::string{message});
  d.set("signed_in", !csrf.empty());
  return html_response(status, page({"Error " + std::to_string(status), csrf, "", 0}, "error", d));
}

} // namespace hb::web
