#pragma once

#include "alerts/channel.hpp"
#include "alerts/http_transport.hpp"

namespace hb::alerts {

/// SMS through a Twilio-compatible API (HEARTBEATD_SMS_*): the target is an E.164 number.
class sms_channel final : public channel {
public:
  static constexpr std::string_view name = "sms";

  explicit sms_channel(const channel_settings& settings);

  delivery_result notify(const notification& n) override;

  /// Why `target` cannot receive this channel's notifications, or nothing.
  static std::optional<std::string> target_problem(std::string_view target,
                                                   const channel_settings& settings);

private:
  sms_settings sms_;
  http_transport http_;
};

} // namespace hb::alerts
