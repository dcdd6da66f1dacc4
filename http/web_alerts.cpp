// The alert forms of the application page: add, edit, enable, disable, delete and "send test".
// Each calls the JSON API's handler, so channels and targets are checked in one place.

#include "http/api_support.hpp"
#include "http/web.hpp"
#include "http/web_actions.hpp"
#include "http/web_support.hpp"
#include "http/web_view.hpp"
#include "persistence/alert_store.hpp"
#include "persistence/read_pool.hpp"

namespace hb {

namespace {

using kainjow::mustache::data;

/// The alert form's fields.
struct alert_fields {
  std::string channel;
  std::string target;
  bool enabled = true;

  static alert_fields from(const api_request& req) {
    // An unchecked checkbox sends nothing: its absence means off.
    return {web::form_value(req, "channel"), web::form_value(req, "target"),
            req.form.contains("enabled")};
  }
  nlohmann::json json() const {
    return {{"channel", channel}, {"target", target}, {"enabled", enabled}};
  }
};

std::string alert_path(const api_request& req) {
  return web::app_path(req) + "/alerts/" + req.params.at("alert_id");
}

api_response alert_form(int status, const api_request& req, const alert_fields& f,
                        const field_error& error) {
  data d;
  d.set("action", alert_path(req) + "/edit");
  d.set("cancel", web::app_path(req) + "#alerts");
  d.set("csrf", req.csrf);
  d.set("channels", web::channel_options(f.channel));
  d.set("target", f.target);
  d.set("enabled", f.enabled);
  d.set("has_error", !error.message.empty());
  d.set("error", error.message);
  d.set("error_field", error.field.empty() ? std::string{"target"} : error.field);
  return web::html_response(status, web::page({"Edit alert", req.csrf, "", 0}, "alert_form", d));
}

} // namespace

void web_ui::add_alert(const api_request& req, const responder& respond) const {
  auto self = shared_from_this();
  const auto fields = alert_fields::from(req);
  api_->create_alert(
      web::json_call(req, fields.json()), [self, req, respond, fields](const api_response& res) {
        if (res.status == 201)
          return respond(web::redirect(web::app_path(req) + "?notice=alert_added#alerts"));
        if (res.status == 400 || res.status == 422) {
          const auto e = web::error_of(res);
          return self->render_application(
              req, respond, 422,
              alert_form_state{fields.channel, fields.target, fields.enabled, e.field, e.message});
        }
        respond(web::failure_page(res, req.csrf));
      });
}

void web_ui::edit_alert(const api_request& req, const responder& respond) const {
  auto app = route_id(req);
  auto alert = route_id(req, "alert_id");
  if (!app || !alert)
    return respond(web::error_page(404, "There is no such alert.", req.csrf));
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, req, respond, app = *app, alert = *alert](soci::session& s) {
        auto a = find_alert_config(s, self->api_->context().backend, app, alert);
        if (!a)
          return respond(web::error_page(404, "There is no such alert.", req.csrf));
        respond(alert_form(200, req, {a->channel, a->target, a->enabled}, {}));
      },
      web::database_failure(respond, req.csrf));
}

void web_ui::update_alert(const api_request& req, const responder& respond) const {
  const auto fields = alert_fields::from(req);
  api_->update_alert(
      web::json_call(req, fields.json()), [req, respond, fields](const api_response& res) {
        if (res.status == 200)
          return respond(web::redirect(web::app_path(req) + "?notice=alert_updated#alerts"));
        if (res.status == 400 || res.status == 422)
          return respond(alert_form(422, req, fields, web::error_of(res)));
        respond(web::failure_page(res, req.csrf));
      });
}

void web_ui::set_alert_enabled(const api_request& req, const responder& respond,
                               bool enabled) const {
  api_->update_alert(web::json_call(req, {{"enabled", enabled}}),
                     [req, respond, enabled](const api_response& res) {
                       if (res.status == 200)
                         return respond(web::redirect(web::app_path(req) +
                                                      (enabled ? "?notice=alert_enabled#alerts"
                                                               : "?notice=alert_disabled#alerts")));
                       respond(web::failure_page(res, req.csrf));
                     });
}

void web_ui::enable_alert(const api_request& req, const responder& respond) const {
  set_alert_enabled(req, respond, true);
}

void web_ui::disable_alert(const api_request& req, const responder& respond) const {
  set_alert_enabled(req, respond, false);
}

void web_ui::delete_alert(const api_request& req, const responder& respond) const {
  api_->delete_alert(web::json_call(req, nullptr), [req, respond](const api_response& res) {
    if (res.status == 204)
      return respond(web::redirect(web::app_path(req) + "?notice=alert_deleted#alerts"));
    respond(web::failure_page(res, req.csrf));
  });
}

void web_ui::test_alert(const api_request& req, const responder& respond) const {
  api_->test_alert(web::json_call(req, nullptr), [req, respond](const api_response& res) {
    if (res.status == 200) {
      const auto body = nlohmann::json::parse(res.body, nullptr, false);
      const bool delivered = body.is_object() && body.value("delivered", false);
      return respond(
          web::redirect(web::app_path(req) + (delivered ? "?notice=test_delivered#notifications"
                                                        : "?notice=test_failed#notifications")));
    }
    respond(web::failure_page(res, req.csrf));
  });
}

} // namespace hb
