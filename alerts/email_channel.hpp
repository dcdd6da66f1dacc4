#pragma once

#include "alerts/channel.hpp"
#include "alerts/curl_handle.hpp"

namespace hb::alerts {

/// Email over SMTP (libcurl): STARTTLS, implicit TLS or plain, with login if a user is set.
/// SMTP 5xx replies are permanent failures; 4xx replies and network errors are retryable.
class email_channel final : public channel {
public:
  static constexpr std::string_view name = "email";

  explicit email_channel(const channel_settings& settings);

  delivery_result notify(const notification& n) override;

  /// Why `target` is no email address, or why this server cannot send email.
  static std::optional<std::string> target_problem(std::string_view target,
                                                   const channel_settings& settings);

private:
  smtp_settings smtp_;
  std::chrono::milliseconds timeout_;
  curl_easy_ptr handle_;
};

} // namespace hb::alerts
