#pragma once

#include "http/api_types.hpp"
#include "http/application_json.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

/// How web UI forms call the JSON API's handlers and read their answers.
namespace hb::web {

/// A call of a JSON API handler on behalf of a web request: its route parameters, `body`.
api_request json_call(const api_request& from, const nlohmann::json& body);

/// The field and message of a 4xx answer of the JSON API.
field_error error_of(const api_response& res);

/// An answer of the API that is neither success nor a validation error, as a page.
api_response failure_page(const api_response& res, const std::string& csrf);

/// "/applications/{id}" of the request's route.
std::string app_path(const api_request& req);

/// What a page answers when its read failed: 503, the database did not answer.
std::function<void(const std::string&)> database_failure(responder respond, std::string csrf);

} // namespace hb::web
