#include "http/application_json.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

constexpr std::int64_t max_seconds = 31'536'000; // one year
constexpr std::size_t max_name_length = 100;

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::optional<field_error> check_fields(const nlohmann::json& doc,
                                        std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (auto a : allowed)
      known = known || key == a;
    if (!known)
      return field_error{422, fmt::format("unknown field '{}'", key), key};
  }
  return std::nullopt;
}

std::variant<std::string, field_error> read_name(const nlohmann::json& v) {
  if (!v.is_string())
    return field_error{422, "name must be a string", "name"};
  auto name = trim(v.get<std::string>());
  if (name.empty() || utf8_length(name) > max_name_length)
    return field_error{422, "name must be 1 to 100 characters", "name"};
  // NUL cannot reach PostgreSQL (libpq passes C strings); no control character belongs here.
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F)
      return field_error{422, "name must not contain control characters", "name"};
  return name;
}

std::variant<std::int64_t, field_error> read_seconds(const nlohmann::json& v, const char* field,
                                                     std::int64_t min) {
  if (!v.is_number_integer())
    return field_error{422, fmt::format("{} must be an integer number of seconds", field), field};
  const auto seconds = v.get<std::int64_t>();
  if (seconds < min || seconds > max_seconds)
    return field_error{422, fmt::format("{} must be between {} and {}", field, min, max_seconds),
                       field};
  return seconds;
}

// Reads `field` of `doc` into `out` with `read`; returns an error if there is one.
template <class T, class Read>
std::optional<field_error> take(const nlohmann::json& doc, const char* field, std::optional<T>& out,
                                Read read) {
  auto it = doc.find(field);
  if (it == doc.end())
    return std::nullopt;
  auto value = read(*it);
  if (auto* err = std::get_if<field_error>(&value))
    return *err;
  out = std::get<T>(value);
  return std::nullopt;
}

std::optional<field_error> read_common(const nlohmann::json& doc, application_patch& p) {
  if (auto e = take(doc, "name", p.name, read_name))
    return e;
  if (auto e = take(doc, "expected_interval", p.expected_interval_s,
                    [](const auto& v) { return read_seconds(v, "expected_interval", 1); }))
    return e;
  if (auto e = take(doc, "grace_period", p.grace_period_s,
                    [](const auto& v) { return read_seconds(v, "grace_period", 0); }))
    return e;
  return take(doc, "reminder_interval", p.reminder_interval_s,
              [](const auto& v) { return read_seconds(v, "reminder_interval", 0); });
}

} // namespace

std::string trim(const std::string& s) {
  const auto* ws = " \t\r\n";
  const auto first = s.find_first_not_of(ws);
  if (first == std::string::npos)
    return "";
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

std::variant<nlohmann::json, field_error> parse_object(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return field_error{400, "malformed JSON", ""};
  if (!doc.is_object())
    return field_error{400, "the body must be a JSON object", ""};
  return doc;
}

std::variant<application_spec, field_error> parse_application_spec(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return *e;
  const auto& doc = std::get<nlohmann::json>(parsed);
  if (auto e =
          check_fields(doc, {"name", "expected_interval", "grace_period", "reminder_interval"}))
    return *e;
  application_patch fields;
  if (auto e = read_common(doc, fields))
    return *e;
  if (!fields.name)
    return field_error{422, "name is required", "name"};
  if (!fields.expected_interval_s)
    return field_error{422, "expected_interval is required", "expected_interval"};
  return application_spec{*fields.name, *fields.expected_interval_s,
                          fields.grace_period_s.value_or(0),
                          fields.reminder_interval_s.value_or(0)};
}

std::variant<application_patch, field_error> parse_application_patch(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return *e;
  const auto& doc = std::get<nlohmann::json>(parsed);
  if (auto e = check_fields(
          doc, {"name", "expected_interval", "grace_period", "reminder_interval", "is_active"}))
    return *e;
  application_patch patch;
  if (auto e = read_common(doc, patch))
    return *e;
  if (auto it = doc.find("is_active"); it != doc.end()) {
    if (!it->is_boolean())
      return field_error{422, "is_active must be true or false", "is_active"};
    patch.is_active = it->get<bool>();
  }
  if (!patch.name && !patch.expected_interval_s && !patch.grace_period_s && !patch.is_active &&
      !patch.reminder_interval_s)
    return field_error{422, "nothing to change: give at least one field", ""};
  return patch;
}

nlohmann::json time_or_null(const std::optional<timestamp>& t) {
  return t ? nlohmann::json(to_iso8601(*t)) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const application_record& r, const application_view& v) {
  return {{"id", r.id},
          {"uuid", r.uuid},
          {"name", r.name},
          {"expected_interval", r.expected_interval_s},
          {"grace_period", r.grace_period_s},
          {"reminder_interval", r.reminder_interval_s},
          {"status", std::string{to_string(v.status)}},
          {"is_active", r.is_active},
          {"last_heartbeat", time_or_null(r.last_heartbeat)},
          {"next_deadline", time_or_null(v.next_deadline)},
          {"created_at", to_iso8601(r.created_at)},
          {"updated_at", to_iso8601(r.updated_at)},
          {"heartbeat_url", v.heartbeat_url}};
}

} // namespace hb
