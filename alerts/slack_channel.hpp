#pragma once

#include "alerts/channel.hpp"
#include "alerts/http_transport.hpp"

namespace hb::alerts {

/// Slack incoming webhooks: the target is the webhook URL. Sends the headline as `text` and the
/// full text as a mrkdwn section with a link to the application.
class slack_channel final : public channel {
public:
  static constexpr std::string_view name = "slack";

  explicit slack_channel(const channel_settings& settings);

  delivery_result notify(const notification& n) override;

  /// Why `target` cannot receive this channel's notifications, or nothing.
  static std::optional<std::string> target_problem(std::string_view target,
                                                   const channel_settings& settings);

private:
  http_transport http_;
};

} // namespace hb::alerts
