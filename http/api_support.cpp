#include "http/api_support.hpp"

#include "actors/messages.hpp"
#include "actors/system_config.hpp"

#include <fmt/format.h>

#include <charconv>

namespace hb {

std::optional<std::int64_t> parse_positive_id(std::string_view text) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size() || id <= 0)
    return std::nullopt;
  return id;
}

std::optional<std::int64_t> route_id(const api_request& req, const char* name) {
  auto it = req.params.find(name);
  if (it == req.params.end())
    return std::nullopt;
  return parse_positive_id(it->second);
}

std::variant<std::size_t, field_error> query_number(const api_request& req, const char* name,
                                                    std::size_t fallback, std::size_t min,
                                                    std::size_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end())
    return fallback;
  std::size_t value = 0;
  const auto& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size() || value < min || value > max)
    return field_error{400, fmt::format("{} must be an integer from {} to {}", name, min, max),
                       name};
  return value;
}

api_response field_error_response(const field_error& e) {
  return error_response(e.status, e.message, e.field);
}

api_response unavailable(const std::string& why) {
  auto res = error_response(503, "database unavailable: " + why);
  res.headers.emplace_back("Retry-After", "1");
  return res;
}

api_response write_failed(const caf::error& err) {
  if (err.category() == hb_error_category &&
      err.code() == static_cast<std::uint8_t>(errc::overloaded)) {
    auto res = error_response(429, "too many writes waiting, try again shortly");
    res.headers.emplace_back("Retry-After", "1");
    return res;
  }
  return unavailable(error_text(err));
}

api_response application_not_found() { return error_response(404, "no such application"); }

} // namespace hb
