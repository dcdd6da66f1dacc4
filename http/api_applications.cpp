#include "actors/application.hpp"
#include "actors/system_config.hpp"
#include "http/api.hpp"
#include "http/api_support.hpp"
#include "persistence/application_queries.hpp"
#include "persistence/application_store.hpp"
#include "persistence/read_pool.hpp"
#include "util/uuid.hpp"

namespace hb {

namespace {

const api_response not_found = application_not_found();

} // namespace

application_view api::view_of(const application_record& r) const {
  // The same rules and restart window as the actors, applied to what was committed.
  auto clock = clock_from_record(r, std::max(ctx_.started_at, r.created_at));
  // A heartbeat committed after the last stored status change brought the application up,
  // though that change (new->up, down->up) may still be on its way to the database: its 200
  // came first. Reads show what the actor already knows.
  const bool beat_since =
      r.last_heartbeat && (!r.status_changed_at || *r.last_heartbeat > *r.status_changed_at);
  if (beat_since && clock.latched != app_status::up) {
    clock.latched = app_status::up;
    clock.window_start =
        std::max(*r.last_heartbeat, clock.window_start.value_or(*r.last_heartbeat));
  }
  return {status_at(clock, ctx_.now()), down_after(clock),
          ctx_.public_url + "/heartbeat/" + r.uuid};
}

void api::list_applications(const api_request& req, const responder& respond) const {
  auto limit = query_number(req, "limit", default_page, 1, max_page);
  auto offset = query_number(req, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  for (auto* v : {&limit, &offset})
    if (auto* e = std::get_if<field_error>(v))
      return respond(field_error_response(*e));
  std::optional<app_status> wanted;
  if (auto it = req.query.find("status"); it != req.query.end()) {
    wanted = parse_status(it->second);
    if (!wanted)
      return respond(
          error_response(400, "status must be one of new, up, late, down, paused", "status"));
  }
  auto self = shared_from_this();
  ctx_.reads->post(
      [self, respond, wanted, limit = std::get<std::size_t>(limit),
       offset = std::get<std::size_t>(offset)](soci::session& s) {
        const auto backend = self->ctx_.backend;
        nlohmann::json items = nlohmann::json::array();
        std::size_t matching = 0;
        if (!wanted) {
          // Without a filter the database pages: only `limit` rows are read.
          for_each_application(s, backend, limit, offset, [&](application_record&& r) {
            items.push_back(to_json(r, self->view_of(r)));
          });
          matching = static_cast<std::size_t>(count_applications(s));
        } else {
          // The status depends on the clock, so a filter looks at every application.
          for_each_application(s, backend, [&](application_record&& r) {
            auto view = self->view_of(r);
            if (view.status != *wanted)
              return;
            if (matching++ >= offset && items.size() < limit)
              items.push_back(to_json(r, view));
          });
        }
        respond(json_response(200, {{"applications", std::move(items)},
                                    {"total", matching},
                                    {"limit", limit},
                                    {"offset", offset}}));
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::apply_change(application_op op, std::string uuid, const responder& respond,
                       api_response missing, answer_row answer) const {
  caf::anon_send(ctx_.admin, apply_atom::value, std::move(op), std::move(uuid),
                 op_completion{[respond, missing = std::move(missing), answer = std::move(answer)](
                                   const caf::error& err, const application_op_result& r) {
                   if (err)
                     return respond(write_failed(err));
                   if (!r)
                     return respond(missing);
                   respond(answer(*r));
                 }});
}

void api::create_application(const api_request& req, const responder& respond) const {
  auto parsed = parse_application_spec(req.body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return respond(field_error_response(*e));
  application_op op =
      application_create{std::get<application_spec>(parsed), new_uuid_v4(), ctx_.now()};
  apply_change(std::move(op), {}, respond, unavailable("not created"),
               [self = shared_from_this()](const application_record& r) {
                 auto res = json_response(201, to_json(r, self->view_of(r)));
                 res.headers.emplace_back("Location", "/api/applications/" + std::to_string(r.id));
                 return res;
               });
}

void api::with_application(const api_request& req, const responder& respond, with_row then) const {
  auto id = route_id(req);
  if (!id)
    return respond(not_found);
  auto self = shared_from_this();
  ctx_.reads->post(
      [self, respond, id = *id, then = std::move(then)](soci::session& s) {
        auto r = find_application(s, self->ctx_.backend, id);
        if (!r)
          return respond(not_found);
        then(s, *r);
      },
      [respond](const std::string& why) { respond(unavailable(why)); });
}

void api::get_application(const api_request& req, const responder& respond) const {
  with_application(
      req, respond,
      [self = shared_from_this(), respond](soci::session&, const application_record& r) {
        respond(json_response(200, to_json(r, self->view_of(r))));
      });
}

void api::update_application(const api_request& req, const responder& respond) const {
  auto id = route_id(req);
  if (!id)
    return respond(not_found);
  auto parsed = parse_application_patch(req.body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return respond(field_error_response(*e));
  application_op op = application_update{*id, std::get<application_patch>(parsed), ctx_.now()};
  apply_change(std::move(op), {}, respond, not_found,
               [self = shared_from_this()](const application_record& r) {
                 return json_response(200, to_json(r, self->view_of(r)));
               });
}

void api::delete_application(const api_request& req, const responder& respond) const {
  // The admin actor needs the UUID to stop the actor before the row goes: read it first.
  with_application(
      req, respond,
      [self = shared_from_this(), respond](soci::session&, const application_record& r) {
        self->apply_change(application_delete{r.id}, r.uuid, respond, not_found,
                           [](const application_record&) {
                             return api_response{204, "", "", {}};
                           });
      });
}

void api::list_heartbeats(const api_request& req, const responder& respond) const {
  auto limit = query_number(req, "limit", default_page, 1, max_page);
  if (auto* e = std::get_if<field_error>(&limit))
    return respond(field_error_response(*e));
  std::optional<history_cursor> before;
  if (auto it = req.query.find("before"); it != req.query.end()) {
    before = parse_history_cursor(it->second);
    if (!before)
      return respond(error_response(400, "before must be a next_cursor value", "before"));
  }
  with_application(
      req, respond,
      [backend = ctx_.backend, respond, limit = std::get<std::size_t>(limit),
       before](soci::session& s, const application_record& r) {
        auto rows = heartbeat_history(s, backend, r.id, limit, before);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& row : rows)
          items.push_back(
              {{"received_at", to_iso8601(row.received_at)}, {"remote_addr", row.remote_addr}});
        nlohmann::json body{{"heartbeats", std::move(items)}, {"next_cursor", nullptr}};
        if (rows.size() == limit)
          body["next_cursor"] = to_string(history_cursor{rows.back().received_at, rows.back().id});
        respond(json_response(200, body));
      });
}

} // namespace hb
