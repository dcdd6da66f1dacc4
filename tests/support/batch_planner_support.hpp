#pragma once

// What the tests of the writer's batch planner share: a planner with plain numbers for replies,
// a fixed start time, and small builders.

#include "actors/batch_planner.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

namespace hb::planner_test {

using namespace std::chrono_literals;

using planner = batch_planner<int>; // replies are plain numbers here
using clock = planner::clock;

inline const clock::time_point t0{clock::duration{1'000'000'000}};

// One flush slice unless a test asks for more: the rules of the interval are easier to see.
inline planner::limits limits_of(std::size_t max_batch = 3, std::chrono::microseconds delay = 2ms,
                                 std::chrono::microseconds flush = 1s, std::size_t flush_slices = 1,
                                 std::size_t sessions = 1) {
  planner::limits l{max_batch, delay, flush};
  l.flush_slices = flush_slices;
  l.sessions = sessions;
  return l;
}

inline planner make(std::size_t max_batch = 3, std::chrono::microseconds delay = 2ms,
                    std::chrono::microseconds flush = 1s, std::size_t flush_slices = 1,
                    std::size_t sessions = 1) {
  return planner{limits_of(max_batch, delay, flush, flush_slices, sessions)};
}

inline planner make_with_sessions(std::size_t sessions) { return make(1000, 0us, 1s, 1, sessions); }

inline heartbeat_event beat(std::int64_t app, std::int64_t s) {
  return {app, from_micros(s * 1'000'000), ""};
}
inline status_change change(std::int64_t app) {
  return {app, app_status::up, app_status::down, from_micros(0)};
}

/// A heartbeat of application `app` at second `s`, batched and committed at t0: its
/// last_heartbeat value is then waiting to be written.
inline void commit_one_heartbeat(planner& p, std::int64_t app, std::int64_t s, int reply) {
  p.add(beat(app, s), reply, t0);
  auto batch = p.next(t0, false);
  BOOST_TEST_REQUIRE(batch.has_value());
  p.committed(batch->second, t0);
}

} // namespace hb::planner_test
