#include "http/web_actions.hpp"

#include "http/web_view.hpp"

namespace hb::web {

api_request json_call(const api_request& from, const nlohmann::json& body) {
  api_request call;
  call.method = from.method;
  call.params = from.params;
  call.body = body.is_null() ? std::string{} : body.dump();
  call.remote_addr = from.remote_addr;
  call.received_at = from.received_at;
  return call;
}

field_error error_of(const api_response& res) {
  field_error e{res.status, "", ""};
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_object()) {
    e.message = body.value("error", "");
    e.field = body.value("field", "");
  }
  return e;
}

api_response failure_page(const api_response& res, const std::string& csrf) {
  if (res.status == 404)
    return error_page(404, "There is no such application or alert (was it deleted?).", csrf);
  if (res.status == 429 || res.status >= 500)
    return error_page(503,
                      "The database is busy or away, so nothing was changed. Please try again "
                      "shortly.",
                      csrf);
  const auto e = error_of(res);
  return error_page(res.status, e.message.empty() ? "The request was refused." : e.message, csrf);
}

std::string app_path(const api_request& req) {
  auto it = req.params.find("id");
  return "/applications/" + (it == req.params.end() ? std::string{} : it->second);
}

std::function<void(const std::string&)> database_failure(responder respond, std::string csrf) {
  return [respond = std::move(respond), csrf = std::move(csrf)](const std::string&) {
    respond(error_page(503, "The database did not answer; try again shortly.", csrf));
  };
}

} // namespace hb::web
