// The one list of channels. Adding a channel: its file pair in alerts/ plus one line in
// `registry` below (docs/alert-channels.md has the whole checklist).
#include "alerts/channel.hpp"
#include "alerts/discord_channel.hpp"
#include "alerts/email_channel.hpp"
#include "alerts/slack_channel.hpp"
#include "alerts/sms_channel.hpp"
#include "alerts/webhook_channel.hpp"

#include <fmt/format.h>

#include <array>

namespace hb::alerts {

namespace {

struct entry {
  std::string_view name;
  std::unique_ptr<channel> (*make)(const channel_settings&);
  std::optional<std::string> (*target_problem)(std::string_view, const channel_settings&);
};

template <class Channel> constexpr entry entry_for() {
  return {Channel::name,
          [](const channel_settings& s) -> std::unique_ptr<channel> {
            return std::make_unique<Channel>(s);
          },
          &Channel::target_problem};
}

constexpr std::array registry{
    entry_for<email_channel>(), entry_for<slack_channel>(),   entry_for<discord_channel>(),
    entry_for<sms_channel>(),   entry_for<webhook_channel>(),
};

const entry* find(std::string_view name) {
  for (const auto& e : registry)
    if (e.name == name)
      return &e;
  return nullptr;
}

} // namespace

const std::vector<std::string_view>& channel_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    v.reserve(registry.size());
    for (const auto& e : registry)
      v.push_back(e.name);
    return v;
  }();
  return names;
}

std::unique_ptr<channel> make_channel(std::string_view name, const channel_settings& settings) {
  const auto* e = find(name);
  return e != nullptr ? e->make(settings) : nullptr;
}

std::optional<std::string> target_problem(std::string_view channel_name, std::string_view target,
                                          const channel_settings& settings) {
  const auto* e = find(channel_name);
  if (e == nullptr)
    return fmt::format("unknown channel '{}'; valid channels: {}", channel_name,
                       fmt::join(channel_names(), ", "));
  return e->target_problem(target, settings);
}

} // namespace hb::alerts
