#pragma once

#include "alerts/notification.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace hb::alerts {

/// The longest SMS heartbeatd sends, in bytes (and so in characters): one GSM segment.
constexpr std::size_t max_sms_length = 160;

/// The texts of one notification, rendered from the templates in templates/alerts/.
struct message_texts {
  std::string subject;  ///< one line: an email subject
  std::string headline; ///< one line for chat channels
  std::string text;     ///< plain text, several lines
  std::string html;     ///< the HTML part of an email
  std::string sms;      ///< at most max_sms_length bytes
};

/// All texts of `n`.
message_texts render_message(const notification& n);

/// The embedded template `name` (e.g. "subject") rendered for `n`, trailing white space removed.
/// Throws std::logic_error for an unknown or broken template (a build error, not a runtime one).
std::string render_template(std::string_view name, const notification& n);

/// The SMS text of `n`: the "sms" template, with the application name shortened if needed so
/// that the whole text (link included) fits max_sms_length; cut at a UTF-8 boundary as a last
/// resort.
std::string render_sms(const notification& n);

/// A duration for people: "less than a minute", "5 minutes", "2 hours 5 minutes", "3 days 1 hour".
std::string human_duration(std::chrono::microseconds d);

/// `t` as ISO 8601 UTC to the second, e.g. `2026-11-28T09:15:02Z`: for texts people read.
std::string iso8601_seconds(timestamp t);

} // namespace hb::alerts
