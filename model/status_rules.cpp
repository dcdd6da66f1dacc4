#include "model/status_rules.hpp"

namespace hb {

std::optional<timestamp> late_after(const app_clock& c) {
  if (!c.is_active || c.latched != app_status::up || !c.window_start)
    return std::nullopt;
  return *c.window_start + c.interval;
}

std::optional<timestamp> down_after(const app_clock& c) {
  if (auto late = late_after(c))
    return *late + c.grace;
  return std::nullopt;
}

app_status status_at(const app_clock& c, timestamp now) {
  if (!c.is_active)
    return app_status::paused;
  if (c.latched != app_status::up)
    return c.latched;
  if (now >= *down_after(c))
    return app_status::down;
  if (now >= *late_after(c))
    return app_status::late;
  return app_status::up;
}

std::vector<transition> on_heartbeat(app_clock& c, timestamp now) {
  std::vector<transition> changes;
  if (!c.last_heartbeat || *c.last_heartbeat < now)
    c.last_heartbeat = now;
  if (!c.is_active)
    return changes; // recorded, but a paused application stays paused
  if (auto deadline = down_after(c); deadline && now >= *deadline) {
    changes.push_back({app_status::up, app_status::down, *deadline});
    c.latched = app_status::down;
  }
  if (c.latched != app_status::up)
    changes.push_back({c.latched, app_status::up, now});
  c.latched = app_status::up;
  // Heartbeats may reach the actor out of order (several HTTP threads): never move back.
  c.window_start = c.window_start ? std::max(*c.window_start, now) : now;
  return changes;
}

std::optional<transition> on_deadline(app_clock& c, timestamp now) {
  auto deadline = down_after(c);
  if (!deadline || now < *deadline)
    return std::nullopt;
  c.latched = app_status::down;
  return transition{app_status::up, app_status::down, now};
}

app_clock on_restart(app_clock stored, timestamp startup) {
  if (stored.latched == app_status::late || stored.latched == app_status::paused)
    stored.latched = stored.last_heartbeat ? app_status::up : app_status::new_;
  if (stored.latched == app_status::up) {
    const auto last = stored.last_heartbeat.value_or(startup);
    stored.window_start = std::max(last, startup);
  } else {
    stored.window_start = stored.last_heartbeat;
  }
  return stored;
}

std::optional<transition> set_active(app_clock& c, bool active, timestamp now) {
  if (c.is_active == active)
    return std::nullopt;
  c.is_active = active;
  if (!active)
    return transition{c.latched, app_status::paused, now};
  if (c.latched == app_status::up)
    c.window_start = now;
  return transition{app_status::paused, c.latched, now};
}

} // namespace hb
