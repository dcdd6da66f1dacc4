#pragma once

#include "alerts/channel.hpp"
#include "alerts/http_transport.hpp"

namespace hb::alerts {

/// Discord webhooks: the target is the webhook URL. Sends the headline as `content` and one embed
/// coloured by kind (red down, green up, orange reminder, blue test).
class discord_channel final : public channel {
public:
  static constexpr std::string_view name = "discord";

  explicit discord_channel(const channel_settings& settings);

  delivery_result notify(const notification& n) override;

  /// Why `target` cannot receive this channel's notifications, or nothing.
  static std::optional<std::string> target_problem(std::string_view target,
                                                   const channel_settings& settings);

private:
  http_transport http_;
};

} // namespace hb::alerts
