#pragma once

#include "persistence/history_queries.hpp"
#include "util/time.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

/// What the application page draws, as plain data: the last 24 hours as coloured spans of the
/// stored statuses and a tick where heartbeats arrived; and the crontab line of its examples.
namespace hb::web {

inline constexpr double timeline_width = 1000.0; ///< SVG user units across the 24 hours
inline constexpr auto timeline_length = std::chrono::hours{24};
/// One tick slot per unit of width: 86.4 s.
inline constexpr auto timeline_slot =
    std::chrono::duration_cast<std::chrono::microseconds>(timeline_length) /
    static_cast<std::int64_t>(timeline_width);

struct timeline_span {
  double x = 0;
  double width = 0;
  std::string status; ///< new, up, down, paused (late is never stored)
  timestamp from;
  timestamp to;
};

struct timeline {
  std::vector<timeline_span> spans;
  std::vector<double> ticks; ///< x of each slot with at least one heartbeat
  std::int64_t heartbeats = 0;
};

/// The timeline ending at `now`. `changes` are the newest stored status changes, newest first
/// (as status_change_history returns them); `slots` are heartbeat_buckets_since(now - 24 h,
/// timeline_slot). Time before `created_at` has no span.
timeline build_timeline(timestamp created_at, bool active,
                        const std::vector<status_change_row>& changes,
                        const std::vector<heartbeat_bucket>& slots, timestamp now);

/// A crontab schedule close to `interval_s` (cron cannot say "every 7 minutes": the nearest
/// shorter period it can say, so the job is never late by the schedule alone).
std::string cron_schedule(std::int64_t interval_s);

} // namespace hb::web
