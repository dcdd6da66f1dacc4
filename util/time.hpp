#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace hb {

/// A point in time, UTC, with microsecond resolution: the one time type of heartbeatd.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// The source of "now"; injected so that actors and tests can run on a controlled clock.
using clock_fn = std::function<timestamp()>;

/// The server's wall clock (UTC), the only clock heartbeatd trusts.
timestamp system_now();

inline std::int64_t to_micros(timestamp t) { return t.time_since_epoch().count(); }
inline timestamp from_micros(std::int64_t us) { return timestamp{std::chrono::microseconds{us}}; }

/// ISO 8601 in UTC with a `Z` suffix, e.g. `2026-11-28T09:15:02.123456Z`.
std::string to_iso8601(timestamp t);

} // namespace hb
