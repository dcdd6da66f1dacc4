#pragma once

#include "alerts/channel.hpp"
#include "model/alert_config.hpp"

#include "http/application_json.hpp"
#include "persistence/notification_store.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace hb {

/// A create body: channel (email, slack, discord, sms, webhook), target (checked for that
/// channel), enabled (boolean, default true). Nothing else.
std::variant<alert_config, field_error> parse_alert_config(const std::string& body,
                                                           const alerts::channel_settings& s);

/// An update body: any of the create fields, at least one. The target is checked against the
/// channel once merged with the stored config (check_alert_target).
std::variant<alert_config_patch, field_error> parse_alert_patch(const std::string& body);

/// 422 naming `target` (or `channel`) when the pair does not go together.
std::optional<field_error> check_alert_target(const std::string& channel, const std::string& target,
                                              const alerts::channel_settings& s);

nlohmann::json to_json(const alert_config& c);
nlohmann::json to_json(const notification_entry& n);

} // namespace hb
