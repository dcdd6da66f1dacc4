#pragma once

#include "model/application_op.hpp"
#include "model/status.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace hb {

/// Why a request body was refused: HTTP status, message and the field at fault (if any).
struct field_error {
  int status = 422;
  std::string message;
  std::string field;
};

/// `s` without leading and trailing white space.
std::string trim(const std::string& s);

/// The body as a JSON object, or why it is not one (400).
std::variant<nlohmann::json, field_error> parse_object(const std::string& body);

/// A create body: name (1-100 characters after trimming), expected_interval (integer seconds
/// 1-31,536,000), grace_period and reminder_interval (integer seconds 0-31,536,000, default 0;
/// reminder_interval 0: no reminders). Nothing else.
std::variant<application_spec, field_error> parse_application_spec(const std::string& body);

/// An update body: any of the create fields and is_active (boolean); at least one.
std::variant<application_patch, field_error> parse_application_patch(const std::string& body);

/// What a read shows of an application besides its row.
struct application_view {
  app_status status = app_status::new_;
  std::optional<timestamp> next_deadline;
  std::string heartbeat_url;
};

nlohmann::json to_json(const application_record& r, const application_view& v);

/// ISO 8601 UTC, or null.
nlohmann::json time_or_null(const std::optional<timestamp>& t);

} // namespace hb
