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

/// The alert form as sent. An unchecked checkbox sends nothing: its absence means off.
web::alert_form_state sent_form(const api_request& req) {
  return {web::form_value(req, "channel"),
          web::form_value(req, "target"),
          req.form.contains("enabled"),
          {}};
}

/// The form as the API's JSON body.
nlohmann::json alert_body(const web::alert_form_state& f) {
  return {{"channel", f.channel}, {"target", f.target}, {"enabled", f.enabled}};
}

std::string alert_path(const api_request& req) {
  return web::app_path(req) + "/alerts/" + req.params.at("alert_id");
}

api_response alert_form(int status, const api_request& req, const web::alert_form_state& f) {
  data d;
  d.set("action", alert_path(req) + "/edit");
  d.set("cancel", web::app_path(req) + "#alerts");
  d.set("csrf", req.csrf);
  d.set("alert_form", web::alert_form_view(f));
  return web::html_response(status, web::page({"Edit alert", req.csrf, "", 0}, "alert_form", d));
}

} // namespace

void web_ui::add_alert(const api_request& req, const responder& respond) const {
  auto self = shared_from_this();
  const auto form = sent_form(req);
  api_->create_alert(
      web::json_call(req, alert_body(form)), [self, req, respond, form](const api_response& res) {
        if (res.status == 201)
          return respond(web::redirect(web::app_path(req) + "?notice=alert_added#alerts"));
        if (res.status == 400 || res.status == 422) {
          auto refused = form;
          refused.error = web::error_of(res);
          return self->render_application(req, respond, 422, refused);
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
        respond(alert_form(200, req, {a->channel, a->target, a->enabled, {}}));
      },
      web::database_failure(respond, req.csrf));
}

void web_ui::update_alert(const api_request& req, const responder& respond) const {
  const auto form = sent_form(req);
  api_->update_alert(
      web::json_call(req, alert_body(form)), [req, respond, form](const api_response& res) {
        if (res.status == 200)
          return respond(web::redirect(web::app_path(req) + "?notice=alert_updated#alerts"));
        if (res.status == 400 || res.status == 422) {
          auto refused = form;
          refused.error = web::error_of(res);
          return respond(alert_form(422, req, refused));
        }
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
