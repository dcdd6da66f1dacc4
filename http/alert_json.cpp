#include "http/alert_json.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hb {

namespace {

std::optional<field_error> read_fields(const nlohmann::json& doc, alert_config_patch& p) {
  for (const auto& [key, value] : doc.items()) {
    if (key == "channel") {
      if (!value.is_string())
        return field_error{422, "channel must be a string", "channel"};
      p.channel = value.get<std::string>();
    } else if (key == "target") {
      if (!value.is_string())
        return field_error{422, "target must be a string", "target"};
      p.target = value.get<std::string>();
    } else if (key == "enabled") {
      if (!value.is_boolean())
        return field_error{422, "enabled must be true or false", "enabled"};
      p.enabled = value.get<bool>();
    } else {
      return field_error{422, fmt::format("unknown field '{}'", key), key};
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<field_error> check_alert_target(const std::string& channel, const std::string& target,
                                              const alerts::channel_settings& s) {
  const auto& names = alerts::channel_names();
  if (std::find(names.begin(), names.end(), channel) == names.end())
    return field_error{422, fmt::format("channel must be one of {}", fmt::join(names, ", ")),
                       "channel"};
  if (auto problem = alerts::target_problem(channel, target, s))
    return field_error{422, *problem, "target"};
  return std::nullopt;
}

std::variant<alert_config, field_error> parse_alert_config(const std::string& body,
                                                           const alerts::channel_settings& s) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return *e;
  alert_config_patch fields;
  if (auto e = read_fields(std::get<nlohmann::json>(parsed), fields))
    return *e;
  if (!fields.channel)
    return field_error{422, "channel is required", "channel"};
  if (!fields.target)
    return field_error{422, "target is required", "target"};
  if (auto e = check_alert_target(*fields.channel, *fields.target, s))
    return *e;
  alert_config c;
  c.channel = *fields.channel;
  c.target = *fields.target;
  c.enabled = fields.enabled.value_or(true);
  return c;
}

std::variant<alert_config_patch, field_error> parse_alert_patch(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<field_error>(&parsed))
    return *e;
  alert_config_patch patch;
  if (auto e = read_fields(std::get<nlohmann::json>(parsed), patch))
    return *e;
  if (!patch.channel && !patch.target && !patch.enabled)
    return field_error{422, "nothing to change: give at least one field", ""};
  return patch;
}

nlohmann::json to_json(const alert_config& c) {
  return {{"id", c.id},
          {"application_id", c.application_id},
          {"channel", c.channel},
          {"target", c.target},
          {"enabled", c.enabled},
          {"created_at", to_iso8601(c.created_at)},
          {"updated_at", to_iso8601(c.updated_at)}};
}

nlohmann::json to_json(const notification_entry& n) {
  const char* state = n.delivered_at ? "delivered" : n.failed_at ? "failed" : "pending";
  return {{"id", n.id},
          {"alert_id", n.alert_config_id},
          {"channel", n.channel},
          {"target", n.target},
          {"kind", n.kind},
          {"state", state},
          {"attempts", n.attempts},
          {"created_at", to_iso8601(n.created_at)},
          {"next_attempt_at", time_or_null(n.next_attempt_at)},
          {"delivered_at", time_or_null(n.delivered_at)},
          {"failed_at", time_or_null(n.failed_at)},
          {"last_error",
           n.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.last_error)}};
}

} // namespace hb
