#pragma once

#include "http/api_types.hpp"
#include "http/application_json.hpp"
#include "util/time.hpp"

#include <kainjow/mustache.hpp>

#include <optional>
#include <string>
#include <string_view>

/// Rendering of the web UI's mustache templates (templates/web/). Every {{value}} is
/// HTML-escaped by mustache; the templates use {{{...}}} only for HTML rendered here.
namespace hb::web {

using view_data = kainjow::mustache::data;

/// Throws std::logic_error when a template is missing or does not parse: checked at start-up
/// and by the tests, so a broken template never reaches a request.
void check_templates();

/// templates/web/<name>.mustache with `d`.
std::string render(std::string_view name, const view_data& d);

/// What the layout around every page needs.
struct layout {
  std::string title;
  std::string csrf;   ///< for the logout form; empty when signed out
  std::string notice; ///< a message after an action, or empty
  int refresh_ms = 0; ///< the dashboard's live refresh period, 0 elsewhere
};

/// `body_template` rendered with `d`, inside templates/web/layout.mustache.
std::string page(const layout& l, std::string_view body_template, const view_data& d);

/// A time as pages show it: `has`, and when set `iso` (for <time datetime>), `exact` (the
/// tooltip, UTC) and `relative` ("2 minutes ago").
view_data time_view(std::optional<timestamp> t, timestamp now);

/// The <option> list of alert channels (alerts::channel_names), `selected` marked.
view_data channel_options(std::string_view selected);

/// What an alert form shows: the values sent (or the defaults), and why they were refused.
struct alert_form_state {
  std::string channel = "webhook";
  std::string target;
  bool enabled = true;
  field_error error{422, "", ""};
};

/// The `alert_form` section of the templates that hold an alert form (add on the application
/// page, edit on its own page): channels, target, enabled and the error beside its field.
view_data alert_form_view(const alert_form_state& form);

/// The message a page shows after an action, from its `notice` query parameter (one of a fixed
/// set: no text is ever taken from the URL), or "".
std::string notice_text(const api_request& req);

/// An HTML error page: `status`, a sentence saying what went wrong, a way back. `csrf` is the
/// session's token (empty when signed out), for the layout's logout form.
api_response error_page(int status, std::string_view message, const std::string& csrf);

} // namespace hb::web
