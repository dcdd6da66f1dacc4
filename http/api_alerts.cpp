// Alert configs of an application, test notifications and the notification log.
//
// Alert configs are written here, on the pool's sessions, not through the writer: they are rare
// admin changes with no ordering against heartbeats, and the writer's transaction reads them
// when it queues the notifications of a status change (the outbox), so a config is in effect
// from the next status change after it was stored.

#include "actors/system_config.hpp"
#include "http/alert_json.hpp"
#include "http/api.hpp"
#include "http/api_support.hpp"
#include "persistence/alert_store.hpp"
#include "persistence/read_pool.hpp"

namespace hb {

namespace {

const api_response no_such_alert = error_response(404, "no such alert");

struct alert_ids {
  std::int64_t app = 0;
  std::int64_t alert = 0;
};

/// The application and alert ids of the route, or the 404 to answer.
std::variant<alert_ids, api_response> alert_route(const api_request& req) {
  auto app = route_id(req);
  if (!app)
    return application_not_found();
  auto alert = route_id(req, "alert_id");
  if (!alert)
    return no_such_alert;
  return alert_ids{*app, *alert};
}

} // namespace

void api::list_alerts(const api_request& req, const responder& respond) const {
  with_application(
      req, respond,
      [backend = ctx_.backend, respond](soci::session& s, const application_record& r) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& c : list_alert_configs(s, backend, r.id))
          items.push_back(to_json(c));
        respond(json_response(200, {{"alerts", std::move(items)}}));
      });
}

void api::create_alert(const api_request& req, const responder& respond) const {
  auto parsed = parse_alert_config(req.body, ctx_.channels);
  if (auto* e = std::get_if<field_error>(&parsed))
    return respond(field_error_response(*e));
  with_application(
      req, respond,
      [backend = ctx_.backend, now = ctx_.now, respond, config = std::get<alert_config>(parsed)](
          soci::session& s, const application_record& r) mutable {
        config.application_id = r.id;
        auto stored = insert_alert_config(s, backend, config, now());
        auto res = json_response(201, to_json(stored));
        res.headers.emplace_back("Location", "/api/applications/" + std::to_string(r.id) +
                                                 "/alerts/" + std::to_string(stored.id));
        respond(std::move(res));
      });
}

void api::get_alert(const api_request& req, const responder& respond) const {
  auto ids = alert_route(req);
  if (auto* res = std::get_if<api_response>(&ids))
    return respond(*res);
  const auto id = std::get<alert_ids>(ids);
  ctx_.reads->post(
      [backend = ctx_.backend, respond, id](soci::session& s) {
        auto c = find_alert_config(s, backend, id.app, id.alert);
        respond(c ? json_response(200, to_json(*c)) : no_such_alert);
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::update_alert(const api_request& req, const responder& respond) const {
  auto ids = alert_route(req);
  if (auto* res = std::get_if<api_response>(&ids))
    return respond(*res);
  auto parsed = parse_alert_patch(req.body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return respond(field_error_response(*e));
  const auto id = std::get<alert_ids>(ids);
  ctx_.reads->post(
      [backend = ctx_.backend, channels = ctx_.channels, now = ctx_.now, respond, id,
       patch = std::get<alert_config_patch>(parsed)](soci::session& s) {
        auto current = find_alert_config(s, backend, id.app, id.alert);
        if (!current)
          return respond(no_such_alert);
        if (auto e = check_alert_target(patch.channel.value_or(current->channel),
                                        patch.target.value_or(current->target), channels))
          return respond(field_error_response(*e));
        auto updated = update_alert_config(s, backend, id.app, id.alert, patch, now());
        respond(updated ? json_response(200, to_json(*updated)) : no_such_alert);
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::delete_alert(const api_request& req, const responder& respond) const {
  auto ids = alert_route(req);
  if (auto* res = std::get_if<api_response>(&ids))
    return respond(*res);
  const auto id = std::get<alert_ids>(ids);
  ctx_.reads->post(
      [respond, id](soci::session& s) {
        respond(delete_alert_config(s, id.app, id.alert) ? api_response{204, "", "", {}}
                                                         : no_such_alert);
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::test_alert(const api_request& req, const responder& respond) const {
  auto ids = alert_route(req);
  if (auto* res = std::get_if<api_response>(&ids))
    return respond(*res);
  if (!req.body.empty() && req.body.find_first_not_of(" \t\r\n{}") != std::string::npos)
    return respond(error_response(422, "a test takes no fields", ""));
  const auto id = std::get<alert_ids>(ids);
  ctx_.reads->post(
      [backend = ctx_.backend, dispatcher = ctx_.dispatcher, respond, id](soci::session& s) {
        if (!find_alert_config(s, backend, id.app, id.alert))
          return respond(no_such_alert);
        caf::anon_send(dispatcher, test_atom::value, id.app, id.alert,
                       test_completion{[respond](const caf::error& err, const test_result& r) {
                         if (err)
                           return respond(unavailable(error_text(err)));
                         nlohmann::json body{{"notification_id", r.notification_id},
                                             {"delivered", r.delivered},
                                             {"error", r.delivered ? nlohmann::json(nullptr)
                                                                   : nlohmann::json(r.error)}};
                         respond(json_response(200, body));
                       }});
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::list_notifications(const api_request& req, const responder& respond) const {
  auto limit = query_number(req, "limit", default_page, 1, max_page);
  if (auto* e = std::get_if<field_error>(&limit))
    return respond(field_error_response(*e));
  std::optional<std::int64_t> before;
  if (auto it = req.query.find("before"); it != req.query.end()) {
    before = parse_positive_id(it->second);
    if (!before)
      return respond(error_response(400, "before must be a next_cursor value", "before"));
  }
  with_application(
      req, respond,
      [backend = ctx_.backend, respond, limit = std::get<std::size_t>(limit),
       before](soci::session& s, const application_record& r) {
        auto rows = hb::list_notifications(s, backend, r.id, limit, before);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& row : rows)
          items.push_back(to_json(row));
        nlohmann::json body{{"notifications", std::move(items)}, {"next_cursor", nullptr}};
        if (rows.size() == limit)
          body["next_cursor"] = std::to_string(rows.back().id);
        respond(json_response(200, body));
      });
}

} // namespace hb
