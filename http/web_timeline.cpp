#include "http/web_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hb::web {

timeline build_timeline(timestamp created_at, bool active,
                        const std::vector<status_change_row>& changes,
                        const std::vector<heartbeat_bucket>& slots, timestamp now) {
  const auto start = now - timeline_length;
  auto x_of = [&](timestamp t) {
    const auto clamped = std::clamp(t, start, now);
    return timeline_width * std::chrono::duration<double>(clamped - start).count() /
           std::chrono::duration<double>(timeline_length).count();
  };
  timeline out;
  auto add_span = [&](timestamp a, timestamp b, const std::string& status) {
    if (b <= a)
      return;
    // At least half a unit wide, or a short span would not show at all.
    out.spans.push_back({x_of(a), std::max(0.5, x_of(b) - x_of(a)), status, a, b});
  };
  // The status when the window opens: the newest change before it, or, when all the changes
  // shown are inside it, the status the oldest of them left.
  std::string current = "new";
  for (auto it = changes.rbegin(); it != changes.rend(); ++it)
    if (it->at <= start)
      current = it->to;
  if (!changes.empty() && changes.back().at > start)
    current = changes.back().from;
  auto from = std::max(start, created_at);
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    if (it->at <= start)
      continue;
    add_span(from, it->at, current);
    from = std::max(from, it->at);
    current = it->to;
  }
  add_span(from, now, active ? current : "paused");
  for (const auto& slot : slots) {
    // Kept half a unit inside the edges, where a one-unit line would be cut in half.
    const double x = (static_cast<double>(slot.index) + 0.5) * timeline_width /
                     static_cast<double>(timeline_length / timeline_slot);
    out.ticks.push_back(std::clamp(x, 0.5, timeline_width - 0.5));
    out.heartbeats += slot.count;
  }
  return out;
}

std::string cron_schedule(std::int64_t interval_s) {
  const auto minutes = std::max<std::int64_t>(1, interval_s / 60);
  if (minutes < 60) {
    for (auto step = minutes; step > 1; --step)
      if (60 % step == 0)
        return fmt::format("*/{} * * * *", step);
    return "* * * * *";
  }
  const auto hours = minutes / 60;
  if (hours < 24) {
    for (auto step = hours; step > 1; --step)
      if (24 % step == 0)
        return fmt::format("0 */{} * * *", step);
    return "0 * * * *";
  }
  return "0 0 * * *";
}

} // namespace hb::web
