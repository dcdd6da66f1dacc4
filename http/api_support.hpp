#pragma once

#include "http/api_types.hpp"
#include "http/application_json.hpp"

#include <caf/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hb {

inline constexpr std::size_t default_page = 50;
inline constexpr std::size_t max_page = 1000;

/// `text` as a positive integer id, or nothing when it is not one.
std::optional<std::int64_t> parse_positive_id(std::string_view text);

/// The positive integer route parameter `name` (e.g. "id"), or nothing when it is not one.
std::optional<std::int64_t> route_id(const api_request& req, const char* name = "id");

/// A non-negative integer query parameter within [min, max], or the default when absent.
std::variant<std::size_t, field_error> query_number(const api_request& req, const char* name,
                                                    std::size_t fallback, std::size_t min,
                                                    std::size_t max);

api_response field_error_response(const field_error& e);

/// 503 with Retry-After: the database did not answer.
api_response unavailable(const std::string& why);

/// A write the writer refused or could not commit: 429 when it was full, else 503.
api_response write_failed(const caf::error& err);

/// 404 for an application id that does not exist.
api_response application_not_found();

} // namespace hb
