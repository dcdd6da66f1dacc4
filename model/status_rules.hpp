#pragma once

#include "model/status.hpp"

#include "util/time.hpp"

#include <chrono>
#include <optional>
#include <vector>

namespace hb {

/// What decides an application's status over time. Plain data: the rules below are pure
/// functions of it and of `now`, shared by the application actors (which own transitions) and
/// by reads (which compute the status of what was committed).
struct app_clock {
  std::chrono::seconds interval{60};
  std::chrono::seconds grace{0};
  bool is_active = true;
  std::optional<timestamp> last_heartbeat;
  /// Start of the current window: the last heartbeat, or when monitoring (re)started after
  /// heartbeatd's own start-up or a resume, whichever is later. Unset while `new`.
  std::optional<timestamp> window_start;
  /// The remembered part of the status: new, up or down. `late` and `paused` are derived.
  app_status latched = app_status::new_;
};

/// A status change the rules decided on, to be recorded.
struct transition {
  app_status from;
  app_status to;
  timestamp at;
};

/// When the application turns late: window start + interval. Unset when it cannot.
std::optional<timestamp> late_after(const app_clock& c);

/// When it goes down: window start + interval + grace. Unset when it cannot (new, down, paused).
std::optional<timestamp> down_after(const app_clock& c);

/// The status at `now`: paused, new, up (inside the interval), late (inside the grace period),
/// or down (at or past the deadline, or latched down).
app_status status_at(const app_clock& c, timestamp now);

/// A heartbeat arrived at `now`. Moves the window and returns what changed: new->up, down->up,
/// or, when it arrived after a deadline nobody had acted on yet, up->down at the deadline and
/// then down->up. Nothing changes for a paused application except its last heartbeat.
std::vector<transition> on_heartbeat(app_clock& c, timestamp now);

/// The deadline timer fired (or the monitor asked) at `now`: up->down once the deadline passed.
std::optional<transition> on_deadline(app_clock& c, timestamp now);

/// heartbeatd (re)started at `startup` with what the database held. An application that was up
/// gets a full window from start-up, so heartbeatd's own downtime never causes an alert; one that
/// was down stays down, without a second transition.
app_clock on_restart(app_clock stored, timestamp startup);

/// Pausing records active->paused; resuming records paused->(what it was) and gives an up
/// application a full window from `now`. Returns nothing when there is nothing to change.
std::optional<transition> set_active(app_clock& c, bool active, timestamp now);

} // namespace hb
