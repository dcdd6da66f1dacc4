#pragma once

#include "util/time.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hb {

/// A request as the handlers see it: no RESTinio types, so that only http/server.cpp pays for
/// compiling RESTinio.
struct api_request {
  std::string method;
  std::map<std::string, std::string> params; ///< route parameters, e.g. "id"
  std::map<std::string, std::string> query;
  std::string path;                        ///< without the query
  std::map<std::string, std::string> form; ///< an application/x-www-form-urlencoded body
  std::string body;
  std::optional<std::string> authorization;
  std::optional<std::string> cookie;
  /// The web UI session's CSRF token, once the session was checked (empty otherwise).
  std::string csrf;
  std::string remote_addr;
  timestamp received_at;
};

struct api_response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Sends the response; may be called from any thread, exactly once.
using responder = std::function<void(api_response)>;

inline api_response json_response(int status, const nlohmann::json& body) {
  return {status, body.dump(), "application/json", {}};
}

/// `{"error": message, "field": field}`: the body of every 4xx and 5xx.
inline api_response error_response(int status, const std::string& message,
                                   const std::string& field = "") {
  nlohmann::json body{{"error", message}};
  if (!field.empty())
    body["field"] = field;
  return json_response(status, body);
}

} // namespace hb
