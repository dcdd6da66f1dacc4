// The application pages: one application in full, and the forms that create, change, pause and
// delete it. Every change goes through the JSON API's handlers, so the web UI validates and
// writes exactly as the API does.

#include "http/api_support.hpp"
#include "http/web.hpp"
#include "http/web_actions.hpp"
#include "http/web_support.hpp"
#include "http/web_timeline.hpp"
#include "http/web_view.hpp"
#include "persistence/alert_store.hpp"
#include "persistence/application_queries.hpp"
#include "persistence/application_store.hpp"
#include "persistence/history_queries.hpp"
#include "persistence/notification_store.hpp"
#include "persistence/read_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace hb {

namespace {

using kainjow::mustache::data;
using web::app_path;
using web::error_of;
using web::failure_page;
using web::json_call;

constexpr std::size_t history_page = 50;
constexpr std::size_t changes_shown = 20;
/// Changes read for the timeline: enough for a flapping application's day.
constexpr std::size_t changes_read = 200;
constexpr std::size_t notifications_shown = 20;

const char* const integer_fields[] = {"expected_interval", "grace_period", "reminder_interval"};

/// The application form as the API's JSON body. An empty grace period or reminder interval
/// means 0; an empty expected interval is refused (on an edit the API would keep the old value
/// instead, which is not what an emptied field says); a number that is not one is refused
/// here, naming the field, as the API would.
std::variant<nlohmann::json, field_error> application_body(const api_request& req) {
  nlohmann::json body = nlohmann::json::object();
  if (req.form.contains("name"))
    body["name"] = web::form_value(req, "name");
  for (const char* field : integer_fields) {
    const auto text = trim(web::form_value(req, field));
    if (text.empty()) {
      if (std::string_view{field} == "expected_interval")
        return field_error{422, "is required: how often the job reports, in seconds", field};
      body[field] = 0;
      continue;
    }
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size())
      return field_error{422, "must be a whole number of seconds", field};
    body[field] = value;
  }
  return body;
}

struct form_page {
  std::string title;
  std::string action;
  std::string submit;
  std::string cancel;
};

api_response application_form(int status, const form_page& f, const api_request& req,
                              const std::map<std::string, std::string>& values,
                              const field_error& error) {
  data d;
  d.set("heading", f.title);
  d.set("action", f.action);
  d.set("submit", f.submit);
  d.set("cancel", f.cancel);
  d.set("csrf", req.csrf);
  for (const char* field : {"name", "expected_interval", "grace_period", "reminder_interval"}) {
    auto it = values.find(field);
    d.set(field, it == values.end() ? std::string{} : it->second);
    const bool here = error.field == field;
    d.set(std::string{"has_"} + field + "_error", here);
    d.set(std::string{field} + "_error", here ? error.message : std::string{});
  }
  const bool general = !error.message.empty() && error.field.empty();
  d.set("has_form_error", general);
  d.set("form_error", general ? error.message : std::string{});
  return web::html_response(status, web::page({f.title, req.csrf, "", 0}, "application_form", d));
}

/// The timeline as the template draws it.
data timeline_data(const web::timeline& t) {
  data spans{data::type::list};
  for (const auto& span : t.spans) {
    data d;
    d.set("x", fmt::format("{:.1f}", span.x));
    d.set("width", fmt::format("{:.1f}", span.width));
    d.set("status", span.status);
    d.set("title", fmt::format("{} from {} to {}", span.status, web::exact_time(span.from),
                               web::exact_time(span.to)));
    spans.push_back(d);
  }
  data ticks{data::type::list};
  for (double x : t.ticks) {
    data d;
    d.set("x", fmt::format("{:.1f}", x));
    ticks.push_back(d);
  }
  data out;
  out.set("spans", spans);
  out.set("beats", ticks);
  out.set("beat_count", std::to_string(t.heartbeats));
  return out;
}

std::string outcome_of(const notification_entry& n) {
  if (n.delivered_at)
    return "delivered";
  if (n.failed_at)
    return "failed";
  return n.attempts > 0 ? "retrying" : "pending";
}

} // namespace

void web_ui::with_application(const api_request& req, const responder& respond,
                              with_row then) const {
  auto id = route_id(req);
  if (!id)
    return respond(web::error_page(404, "There is no such application.", req.csrf));
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, req, respond, id = *id, then = std::move(then)](soci::session& s) {
        auto r = find_application(s, self->api_->context().backend, id);
        if (!r)
          return respond(web::error_page(404, "There is no such application.", req.csrf));
        then(s, *r);
      },
      web::database_failure(respond, req.csrf));
}

void web_ui::render_application(const api_request& req, const responder& respond, int status,
                                const web::alert_form_state& alert_form) const {
  std::optional<history_cursor> before;
  if (auto it = req.query.find("before"); it != req.query.end())
    before = parse_history_cursor(it->second);
  auto self = shared_from_this();
  with_application(
      req, respond,
      [self, req, respond, status, alert_form, before](soci::session& s,
                                                       const application_record& r) {
        const auto& ctx = self->api_->context();
        const auto id = r.id;
        const auto now = ctx.now();
        const auto view = self->api_->view_of(r);
        const auto history = heartbeat_history(s, ctx.backend, id, history_page, before);
        const auto changes = status_change_history(s, ctx.backend, id, changes_read);
        const auto slots = heartbeat_buckets_since(s, ctx.backend, id, now - web::timeline_length,
                                                   web::timeline_slot);
        const auto alerts = list_alert_configs(s, ctx.backend, id);
        const auto log = list_notifications(s, ctx.backend, id, notifications_shown, std::nullopt);

        data d;
        const auto base = "/applications/" + std::to_string(id);
        d.set("id", std::to_string(id));
        d.set("base", base);
        d.set("csrf", req.csrf);
        d.set("name", r.name);
        d.set("status", std::string{to_string(view.status)});
        d.set("active", r.is_active);
        d.set("interval", web::human_seconds(r.expected_interval_s));
        d.set("interval_s", std::to_string(r.expected_interval_s));
        d.set("grace", web::human_seconds(r.grace_period_s));
        d.set("grace_s", std::to_string(r.grace_period_s));
        d.set("has_reminder", r.reminder_interval_s > 0);
        d.set("reminder", web::human_seconds(r.reminder_interval_s));
        d.set("created", web::time_view(r.created_at, now));
        d.set("last", web::time_view(r.last_heartbeat, now));
        d.set("deadline", web::time_view(view.next_deadline, now));
        d.set("url", view.heartbeat_url);
        d.set("cron", web::cron_schedule(r.expected_interval_s));
        d.set("timeline",
              timeline_data(web::build_timeline(r.created_at, r.is_active, changes, slots, now)));

        data rows{data::type::list};
        for (const auto& h : history) {
          data row;
          row.set("at", web::time_view(h.received_at, now));
          row.set("remote_addr", h.remote_addr);
          rows.push_back(row);
        }
        d.set("history", rows);
        d.set("has_history", !history.empty());
        d.set("history_older", history.size() == history_page);
        if (history.size() == history_page)
          d.set("older_link", base + "?before=" +
                                  web::url_encode(to_string(history_cursor{
                                      history.back().received_at, history.back().id})) +
                                  "#heartbeats");
        d.set("history_newer", before.has_value());

        data change_rows{data::type::list};
        for (std::size_t i = 0; i < changes.size() && i < changes_shown; ++i) {
          data row;
          row.set("from", changes[i].from);
          row.set("to", changes[i].to);
          row.set("at", web::time_view(changes[i].at, now));
          change_rows.push_back(row);
        }
        d.set("changes", change_rows);
        d.set("has_changes", !changes.empty());

        data alert_rows{data::type::list};
        for (const auto& a : alerts) {
          data row;
          row.set("alert_id", std::to_string(a.id));
          row.set("channel", a.channel);
          row.set("target", a.target);
          row.set("enabled", a.enabled);
          alert_rows.push_back(row);
        }
        d.set("alerts", alert_rows);
        d.set("has_alerts", !alerts.empty());
        d.set("alert_form", web::alert_form_view(alert_form));

        data notes{data::type::list};
        for (const auto& n : log) {
          data row;
          row.set("kind", n.kind);
          row.set("channel", n.channel);
          row.set("target", n.target);
          row.set("outcome", outcome_of(n));
          row.set("attempts", std::to_string(n.attempts));
          row.set("last_error", n.last_error);
          row.set("at", web::time_view(n.created_at, now));
          notes.push_back(row);
        }
        d.set("notifications", notes);
        d.set("has_notifications", !log.empty());

        respond(web::html_response(
            status, web::page({r.name, req.csrf, web::notice_text(req),
                               static_cast<int>(self->options_.refresh_interval.count())},
                              "application", d)));
      });
}

void web_ui::application_page(const api_request& req, const responder& respond) const {
  render_application(req, respond, 200, {});
}

void web_ui::application_status(const api_request& req, const responder& respond) const {
  auto id = route_id(req);
  if (!id)
    return respond(application_not_found());
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, respond, id = *id](soci::session& s) {
        const auto& ctx = self->api_->context();
        auto r = find_application(s, ctx.backend, id);
        if (!r)
          return respond(application_not_found());
        const auto view = self->api_->view_of(*r);
        respond(json_response(200, {{"now", to_iso8601(ctx.now())},
                                    {"status", to_string(view.status)},
                                    {"is_active", r->is_active},
                                    {"last_heartbeat", time_or_null(r->last_heartbeat)},
                                    {"next_deadline", time_or_null(view.next_deadline)}}));
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void web_ui::applications_index(const api_request&, const responder& respond) const {
  respond(web::redirect("/"));
}

void web_ui::new_application(const api_request& req, const responder& respond) const {
  respond(application_form(
      200, {"New application", "/applications", "Create", "/"}, req,
      {{"expected_interval", "300"}, {"grace_period", "60"}, {"reminder_interval", "0"}}, {}));
}

void web_ui::create_application(const api_request& req, const responder& respond) const {
  const form_page f{"New application", "/applications", "Create", "/"};
  auto body = application_body(req);
  if (auto* e = std::get_if<field_error>(&body))
    return respond(application_form(422, f, req, req.form, *e));
  api_->create_application(
      json_call(req, std::get<nlohmann::json>(body)), [respond, req, f](const api_response& res) {
        if (res.status == 201) {
          // The API's own answer: its Location header names the new application.
          for (const auto& [name, value] : res.headers)
            if (name == "Location")
              return respond(web::redirect(value.substr(4) + "?notice=created"));
        }
        if (res.status == 400 || res.status == 422)
          return respond(application_form(422, f, req, req.form, error_of(res)));
        respond(failure_page(res, req.csrf));
      });
}

void web_ui::edit_application(const api_request& req, const responder& respond) const {
  with_application(req, respond, [req, respond](soci::session&, const application_record& r) {
    const auto path = "/applications/" + std::to_string(r.id);
    respond(application_form(200, {"Edit " + r.name, path + "/edit", "Save", path}, req,
                             {{"name", r.name},
                              {"expected_interval", std::to_string(r.expected_interval_s)},
                              {"grace_period", std::to_string(r.grace_period_s)},
                              {"reminder_interval", std::to_string(r.reminder_interval_s)}},
                             {}));
  });
}

void web_ui::update_application(const api_request& req, const responder& respond) const {
  const auto path = app_path(req);
  const form_page f{"Edit application", path + "/edit", "Save", path};
  auto body = application_body(req);
  if (auto* e = std::get_if<field_error>(&body))
    return respond(application_form(422, f, req, req.form, *e));
  api_->update_application(json_call(req, std::get<nlohmann::json>(body)),
                           [respond, req, f, path](const api_response& res) {
                             if (res.status == 200)
                               return respond(web::redirect(path + "?notice=updated"));
                             if (res.status == 400 || res.status == 422)
                               return respond(
                                   application_form(422, f, req, req.form, error_of(res)));
                             respond(failure_page(res, req.csrf));
                           });
}

void web_ui::set_active(const api_request& req, const responder& respond, bool active) const {
  const auto path = app_path(req);
  api_->update_application(
      json_call(req, {{"is_active", active}}),
      [respond, csrf = req.csrf, path, active](const api_response& res) {
        if (res.status == 200)
          return respond(web::redirect(path + (active ? "?notice=resumed" : "?notice=paused")));
        respond(failure_page(res, csrf));
      });
}

void web_ui::pause_application(const api_request& req, const responder& respond) const {
  set_active(req, respond, false);
}

void web_ui::resume_application(const api_request& req, const responder& respond) const {
  set_active(req, respond, true);
}

void web_ui::confirm_delete(const api_request& req, const responder& respond) const {
  with_application(req, respond, [req, respond](soci::session&, const application_record& r) {
    data d;
    d.set("name", r.name);
    d.set("base", "/applications/" + std::to_string(r.id));
    d.set("csrf", req.csrf);
    respond(web::html_response(
        200, web::page({"Delete " + r.name, req.csrf, "", 0}, "confirm_delete", d)));
  });
}

void web_ui::delete_application(const api_request& req, const responder& respond) const {
  api_->delete_application(json_call(req, nullptr),
                           [respond, csrf = req.csrf](const api_response& res) {
                             if (res.status == 204)
                               return respond(web::redirect("/?notice=deleted"));
                             respond(failure_page(res, csrf));
                           });
}

} // namespace hb
