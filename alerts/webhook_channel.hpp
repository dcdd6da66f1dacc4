#pragma once

#include "alerts/channel.hpp"
#include "alerts/http_transport.hpp"

namespace hb::alerts {

/// A JSON POST to any URL: the event, the application, its status and times (see
/// docs/alert-channels.md for the body).
class webhook_channel final : public channel {
public:
  static constexpr std::string_view name = "webhook";

  explicit webhook_channel(const channel_settings& settings);

  delivery_result notify(const notification& n) override;

  /// Why `target` cannot receive this channel's notifications, or nothing.
  static std::optional<std::string> target_problem(std::string_view target,
                                                   const channel_settings& settings);

private:
  http_transport http_;
};

} // namespace hb::alerts
