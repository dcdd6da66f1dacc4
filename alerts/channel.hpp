#pragma once

#include "alerts/notification.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hb::alerts {

/// SMTP server for email alerts; email is unavailable while `host` is empty.
struct smtp_settings {
  std::string host;
  std::uint16_t port = 587;
  std::string user;
  std::string password;
  std::string from;
  enum class tls_mode { none, starttls, tls } tls = tls_mode::starttls;
  /// PEM file of the CA certificates that may sign the server's; empty: the system's.
  std::string ca_file;
};

/// A Twilio-compatible SMS API; SMS is unavailable while `account_sid` is empty.
struct sms_settings {
  std::string base_url = "https://api.twilio.com";
  std::string account_sid;
  std::string auth_token;
  std::string from;
};

/// What every channel may need, server-wide.
struct channel_settings {
  smtp_settings smtp;
  sms_settings sms;
  std::chrono::milliseconds timeout{10000}; ///< per attempt, connection included
};

/// Sends one notification over one kind of transport. Blocking: call it only from threads of
/// its own (never from the actor scheduler). One instance is used by one thread at a time.
class channel {
public:
  virtual ~channel() = default;
  /// One attempt to deliver `n` to `n.target`.
  virtual delivery_result notify(const notification& n) = 0;
};

/// The names of all channels, as stored in alert_configs.channel.
const std::vector<std::string_view>& channel_names();

/// A new channel of the given kind; null for an unknown name.
std::unique_ptr<channel> make_channel(std::string_view name, const channel_settings& settings);

/// Why `target` is not valid for `channel_name` (e.g. "must be an E.164 phone number"), or
/// nothing when it is. Also refuses email / sms while the server has no SMTP / SMS settings.
std::optional<std::string> target_problem(std::string_view channel_name, std::string_view target,
                                          const channel_settings& settings);

} // namespace hb::alerts
