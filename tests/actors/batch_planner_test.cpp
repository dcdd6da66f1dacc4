#include "actors/batch_planner.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;

namespace {

using planner = batch_planner<int>; // replies are plain numbers here
using clock = planner::clock;

const clock::time_point t0{clock::duration{1'000'000'000}};

// One flush slice unless a test asks for more: the rules of the interval are easier to see.
planner make(std::size_t max_batch = 3, std::chrono::microseconds delay = 2ms,
             std::chrono::microseconds flush = 1s, std::size_t flush_slices = 1,
             std::size_t sessions = 1) {
  planner::limits l{max_batch, delay, flush};
  l.flush_slices = flush_slices;
  l.sessions = sessions;
  return planner{l};
}

planner make_with_sessions(std::size_t sessions) { return make(1000, 0us, 1s, 1, sessions); }

heartbeat_event beat(std::int64_t app, std::int64_t s) {
  return {app, from_micros(s * 1'000'000), ""};
}
status_change change(std::int64_t app) {
  return {app, app_status::up, app_status::down, from_micros(0)};
}

/// A heartbeat of application `app` at second `s`, batched and committed at t0: its
/// last_heartbeat value is then waiting to be written.
void commit_one_heartbeat(planner& p, std::int64_t app, std::int64_t s, int reply) {
  p.add(beat(app, s), reply, t0);
  auto batch = p.next(t0, false);
  BOOST_TEST_REQUIRE(batch.has_value());
  p.committed(batch->second, t0);
}

} // namespace

BOOST_AUTO_TEST_CASE(an_item_waits_for_its_window_then_goes) {
  auto p = make();
  p.add(beat(1, 1), 1, t0);
  BOOST_TEST(!p.next(t0 + 1ms, false).has_value());
  BOOST_TEST((p.next_due() == t0 + 2ms));
  auto batch = p.next(t0 + 2ms, false);
  BOOST_TEST_REQUIRE(batch.has_value());
  BOOST_TEST(batch->first.heartbeats.size() == 1u);
  BOOST_TEST(batch->second.replies == std::vector<int>{1});
  BOOST_TEST(!p.next_due().has_value());
}

BOOST_AUTO_TEST_CASE(a_full_batch_goes_at_once_and_never_exceeds_the_bound) {
  auto p = make(3);
  for (int i = 0; i < 7; ++i)
    p.add(beat(1, i), i, t0);
  auto first = p.next(t0, false);
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST(first->second.replies == (std::vector<int>{0, 1, 2}));
  auto second = p.next(t0, false);
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->first.heartbeats.size() == 3u);
  BOOST_TEST(!p.next(t0, false).has_value()); // one left, its window still open
  BOOST_TEST(p.queued() == 1u);
}

BOOST_AUTO_TEST_CASE(draining_sends_everything_at_once) {
  auto p = make();
  p.add(beat(1, 1), 1, t0);
  p.add(change(1), 2, t0);
  auto batch = p.next(t0, true);
  BOOST_TEST_REQUIRE(batch.has_value());
  BOOST_TEST(batch->first.size() == 2u);
}

BOOST_AUTO_TEST_CASE(only_one_batch_writing_applications_rows_is_in_flight) {
  auto p = make(10, 0us);
  p.add(change(1), 1, t0);
  auto first = p.next(t0, false);
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST(first->second.writes_applications);

  p.add(change(1), 2, t0);
  p.add(beat(1, 1), 3, t0);
  auto second = p.next(t0, false); // heartbeats may go beside it, the change must wait
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->first.status_changes.empty());
  BOOST_TEST(second->first.heartbeats.size() == 1u);
  BOOST_TEST(!p.next(t0, false).has_value());

  p.committed(first->second, t0);
  auto third = p.next(t0, false);
  BOOST_TEST_REQUIRE(third.has_value());
  BOOST_TEST(third->second.replies == std::vector<int>{2});
}

BOOST_AUTO_TEST_CASE(last_heartbeats_are_written_after_commit_at_most_once_per_interval) {
  auto p = make(10, 0us, 1s);
  p.add(beat(1, 10), 1, t0);
  p.add(beat(2, 5), 2, t0);
  p.add(beat(1, 30), 3, t0);
  auto first = p.next(t0, false);
  BOOST_TEST(first->first.last_heartbeats.empty()); // nothing committed yet
  p.committed(first->second, t0);

  auto flush = p.next(t0, false); // first flush is due at once
  BOOST_TEST_REQUIRE(flush.has_value());
  const std::vector<last_heartbeat_update> expected{{1, from_micros(30'000'000)},
                                                    {2, from_micros(5'000'000)}};
  BOOST_TEST((flush->first.last_heartbeats == expected)); // sorted by application id
  p.committed(flush->second, t0);

  p.add(beat(1, 40), 4, t0 + 10ms);
  auto next = p.next(t0 + 10ms, false);
  p.committed(next->second, t0);
  BOOST_TEST(!p.next(t0 + 500ms, false).has_value()); // interval not over
  BOOST_TEST((p.next_due() == t0 + 1s));
  auto later = p.next(t0 + 1s, false);
  BOOST_TEST_REQUIRE(later.has_value());
  BOOST_TEST(later->first.last_heartbeats.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_batch_keeps_committed_values_and_forgets_its_own) {
  auto p = make(10, 0us, 0us);
  p.add(beat(1, 10), 1, t0);
  auto first = p.next(t0, false);
  p.committed(first->second, t0);

  p.add(beat(1, 99), 2, t0);
  auto failing = p.next(t0, false); // carries the flush of app 1 @10 and a heartbeat @99
  BOOST_TEST_REQUIRE(failing->first.last_heartbeats.size() == 1u);
  BOOST_TEST(p.failed(failing->second, t0, false) == 0u);

  auto retry = p.next(t0, false);
  BOOST_TEST_REQUIRE(retry.has_value());
  const std::vector<last_heartbeat_update> expected{{1, from_micros(10'000'000)}};
  BOOST_TEST((retry->first.last_heartbeats == expected)); // not 99: that one was never stored
}

BOOST_AUTO_TEST_CASE(a_failure_while_draining_gives_up_last_heartbeats_instead_of_looping) {
  auto p = make(10, 0us, 0us);
  p.add(beat(1, 10), 1, t0);
  auto first = p.next(t0, true);
  p.committed(first->second, t0);
  auto flush = p.next(t0, true);
  BOOST_TEST(p.failed(flush->second, t0, true) == 1u);
  BOOST_TEST(p.drained());
}

BOOST_AUTO_TEST_CASE(what_arrived_during_a_commit_goes_when_it_ends_without_waiting_for_a_window) {
  auto p = make(10, 2ms);
  p.add(beat(1, 1), 1, t0);
  auto first = p.next(t0 + 2ms, false);
  BOOST_TEST_REQUIRE(first.has_value());
  p.add(beat(1, 2), 2, t0 + 2ms + 100us); // arrives while the first batch commits
  BOOST_TEST(!p.next(t0 + 2ms + 200us, false).has_value());
  p.committed(first->second, t0 + 2ms + 500us);
  auto second = p.next(t0 + 2ms + 500us, false); // 400 us after it arrived: due all the same
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->second.replies == std::vector<int>{2});
}

BOOST_AUTO_TEST_CASE(
    a_large_last_heartbeat_backlog_is_written_one_slice_per_interval_oldest_first) {
  auto p = make(2, 0us, 1s);
  for (int app = 5; app >= 1; --app)
    p.add(beat(app, 10), app, t0);
  // max_batch 2: five heartbeats commit in three batches (5 4 | 3 2 | 1); the first slice of
  // last_heartbeat values rides along as soon as there is one, the next waits an interval.
  std::vector<std::vector<std::int64_t>> slices;
  auto drain = [&](clock::time_point now) {
    while (auto b = p.next(now, false)) {
      if (!b->first.last_heartbeats.empty()) {
        slices.emplace_back();
        for (const auto& [id, at] : b->first.last_heartbeats)
          slices.back().push_back(id);
      }
      p.committed(b->second, now);
    }
  };
  drain(t0);
  BOOST_TEST_REQUIRE(slices.size() == 1u);
  BOOST_TEST(slices[0] == (std::vector<std::int64_t>{4, 5})); // oldest first, sorted inside
  BOOST_TEST((p.next_due() == t0 + 1s));
  drain(t0 + 1s);
  drain(t0 + 2s);
  BOOST_TEST_REQUIRE(slices.size() == 3u);
  BOOST_TEST(slices[1] == (std::vector<std::int64_t>{2, 3}));
  BOOST_TEST(slices[2] == (std::vector<std::int64_t>{1}));
  BOOST_TEST(p.drained());
}

BOOST_AUTO_TEST_CASE(the_last_heartbeat_quota_of_an_interval_is_spread_over_its_slices) {
  auto p = make(4, 0us, 1s, 2); // 4 applications a second, in slices of 2 every 500 ms
  for (int app = 1; app <= 6; ++app)
    p.add(beat(app, 10), app, t0);
  std::vector<std::pair<clock::duration, std::size_t>> flushes; // when, how many
  auto drain = [&](clock::time_point now) {
    while (auto b = p.next(now, false)) {
      if (!b->first.last_heartbeats.empty())
        flushes.emplace_back(now - t0, b->first.last_heartbeats.size());
      p.committed(b->second, now);
    }
  };
  drain(t0);
  BOOST_TEST((p.next_due() == t0 + 500ms));
  drain(t0 + 499ms); // not yet
  drain(t0 + 500ms);
  drain(t0 + 1s);
  BOOST_TEST_REQUIRE(flushes.size() == 3u);
  for (std::size_t i = 0; i < flushes.size(); ++i) {
    BOOST_TEST((flushes[i].first == static_cast<int>(i) * 500ms));
    BOOST_TEST(flushes[i].second == 2u);
  }
  BOOST_TEST(p.drained());
}

BOOST_AUTO_TEST_CASE(more_slices_than_the_quota_has_rows_never_write_more_than_the_quota) {
  auto p = make(2, 0us, 1s, 10); // 2 applications a second: 2 slices of 1, every 500 ms
  for (int app = 1; app <= 4; ++app)
    p.add(beat(app, 10), app, t0);
  std::size_t written = 0;
  auto drain = [&](clock::time_point now) {
    while (auto b = p.next(now, false)) {
      written += b->first.last_heartbeats.size();
      p.committed(b->second, now);
    }
  };
  for (auto at = t0; at < t0 + 1s; at += 100ms)
    drain(at);
  BOOST_TEST(written == 2u);
}

BOOST_AUTO_TEST_CASE(an_application_change_waits_for_everything_queued_before_it_and_goes_alone) {
  auto p = make(2, 0us);
  const application_op remove = application_delete{1};
  p.add(beat(1, 1), 1, t0);
  auto in_flight = p.next(t0, false); // a batch of one heartbeat is committing
  BOOST_TEST_REQUIRE(in_flight.has_value());
  for (int i = 2; i <= 4; ++i) // more than one batch of heartbeats queued before the delete
    p.add(beat(1, i), i, t0);
  p.add(remove, 100, t0);
  p.add(beat(1, 9), 9, t0); // after the delete: must wait for it

  auto before1 = p.next(t0, false);
  BOOST_TEST_REQUIRE(before1.has_value());
  BOOST_TEST(before1->second.replies == (std::vector<int>{2, 3}));
  auto before2 = p.next(t0, false);
  BOOST_TEST_REQUIRE(before2.has_value());
  BOOST_TEST(before2->second.replies == std::vector<int>{4});
  BOOST_TEST(!p.next(t0, false).has_value()); // barrier: 9 must not start, the delete waits
  p.committed(in_flight->second, t0);
  p.committed(before1->second, t0);
  BOOST_TEST(!p.next(t0, false).has_value()); // one batch still in flight
  p.committed(before2->second, t0);

  auto alone = p.next(t0, false);
  BOOST_TEST_REQUIRE(alone.has_value());
  BOOST_TEST(alone->second.replies == std::vector<int>{100});
  BOOST_TEST(alone->first.heartbeats.empty());
  BOOST_TEST(alone->second.op_count == 1u);
  p.committed(alone->second, t0);
  auto after = p.next(t0, false);
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(after->second.replies == std::vector<int>{9});
}

BOOST_AUTO_TEST_CASE(with_two_sessions_heartbeats_never_wait_in_a_batch_of_status_changes) {
  auto p = make_with_sessions(2);
  for (int i = 0; i < 550; ++i)
    p.add(change(i), i, t0);
  p.add(beat(1000, 1), 1000, t0);
  auto changes = p.next(t0, false);
  BOOST_TEST_REQUIRE(changes.has_value());
  BOOST_TEST(changes->first.heartbeats.empty());
  BOOST_TEST(changes->first.status_changes.size() == 500u); // max_status_changes_alone
  auto beats = p.next(t0, false);
  BOOST_TEST_REQUIRE(beats.has_value());
  BOOST_TEST(beats->second.replies == std::vector<int>{1000});
  BOOST_TEST(beats->first.status_changes.empty());
  BOOST_TEST(!p.next(t0, false).has_value()); // both lanes busy

  // Heartbeats keep committing while the changes are still in flight.
  p.add(beat(1000, 2), 1001, t0);
  p.committed(beats->second, t0 + 1ms);
  auto more = p.next(t0 + 1ms, false);
  BOOST_TEST_REQUIRE(more.has_value());
  BOOST_TEST(more->second.replies == std::vector<int>{1001});
  BOOST_TEST(!p.next(t0 + 1ms, false).has_value());

  p.committed(changes->second, t0 + 5ms);
  auto rest = p.next(t0 + 5ms, false);
  BOOST_TEST_REQUIRE(rest.has_value());
  BOOST_TEST(rest->first.status_changes.size() == 50u);
  BOOST_TEST(rest->first.heartbeats.empty());
}

BOOST_AUTO_TEST_CASE(with_two_sessions_one_is_kept_for_applications_rows) {
  auto p = make_with_sessions(2);
  p.add(beat(1, 1), 1, t0);
  auto first = p.next(t0, false);
  BOOST_TEST_REQUIRE(first.has_value());
  p.add(beat(1, 2), 2, t0);
  BOOST_TEST(!p.next(t0, false).has_value()); // the other session waits for changes
  // ...so the next timer is not due for a heartbeat that cannot go yet (no busy loop).
  BOOST_TEST(!p.next_due().has_value());
  p.add(change(1), 3, t0);
  auto change_batch = p.next(t0, false);
  BOOST_TEST_REQUIRE(change_batch.has_value());
  BOOST_TEST(change_batch->second.replies == std::vector<int>{3});

  // With three sessions, two batches of heartbeats may be in flight.
  auto q = make_with_sessions(3);
  q.add(beat(1, 1), 1, t0);
  BOOST_TEST_REQUIRE(q.next(t0, false).has_value());
  q.add(beat(1, 2), 2, t0);
  BOOST_TEST_REQUIRE(q.next(t0, false).has_value());
  q.add(beat(1, 3), 3, t0);
  BOOST_TEST(!q.next(t0, false).has_value());
}

BOOST_AUTO_TEST_CASE(with_two_sessions_last_heartbeat_goes_with_heartbeats_not_beside_a_change) {
  auto p = make_with_sessions(2);
  commit_one_heartbeat(p, 7, 10, 1);
  p.add(beat(7, 11), 2, t0 + 1s);
  auto with_flush = p.next(t0 + 1s, false);
  BOOST_TEST_REQUIRE(with_flush.has_value());
  BOOST_TEST(with_flush->second.replies == std::vector<int>{2});
  BOOST_TEST(with_flush->first.last_heartbeats.size() == 1u);
  BOOST_TEST(with_flush->second.writes_applications);
  p.add(change(7), 3, t0 + 1s);
  BOOST_TEST(!p.next(t0 + 1s, false).has_value()); // one batch writing applications rows
  p.committed(with_flush->second, t0 + 1s + 1ms);
  auto change_batch = p.next(t0 + 1s + 1ms, false);
  BOOST_TEST_REQUIRE(change_batch.has_value());
  BOOST_TEST(change_batch->second.replies == std::vector<int>{3});
  BOOST_TEST(change_batch->first.last_heartbeats.empty());
}

BOOST_AUTO_TEST_CASE(with_two_sessions_a_stream_of_changes_cannot_put_off_last_heartbeat) {
  auto p = make_with_sessions(2);
  commit_one_heartbeat(p, 7, 10, 1);
  commit_one_heartbeat(p, 7, 11, 2); // with it goes a last_heartbeat slice, at t0
  // Changes keep coming, each due at once; the next slice is due at t0 + 1s.
  for (int i = 0; i < 5; ++i) {
    const auto now = t0 + std::chrono::milliseconds{400 * i};
    p.add(change(i), 10 + i, now);
    auto next = p.next(now, false);
    BOOST_TEST_REQUIRE(next.has_value());
    if (now >= t0 + 1s) {
      BOOST_TEST(next->first.last_heartbeats.size() == 1u); // the slice went first
      BOOST_TEST(next->first.status_changes.empty());
      return;
    }
    BOOST_TEST(next->first.last_heartbeats.empty());
    p.committed(next->second, now);
  }
  BOOST_FAIL("the last_heartbeat slice never went");
}

BOOST_AUTO_TEST_CASE(while_an_application_change_waits_for_a_commit_no_timer_is_asked_for) {
  auto p = make_with_sessions(2);
  p.add(beat(1, 1), 1, t0);
  auto beats = p.next(t0, false);
  BOOST_TEST_REQUIRE(beats.has_value());
  p.add(application_op{application_delete{1}}, 2, t0);
  p.add(beat(1, 2), 3, t0);
  BOOST_TEST(!p.next(t0, false).has_value()); // the delete waits for the batch in flight
  // A session is idle, but nothing can go before that commit ends: a due time here would
  // make the writer spin on zero-delay timers until then.
  BOOST_TEST(!p.next_due().has_value());
  p.committed(beats->second, t0 + 1ms);
  auto op = p.next(t0 + 1ms, false);
  BOOST_TEST_REQUIRE(op.has_value());
  BOOST_TEST(op->second.replies == std::vector<int>{2});
}

BOOST_AUTO_TEST_CASE(with_two_sessions_a_last_heartbeat_slice_alone_holds_the_heartbeat_lane) {
  auto p = make_with_sessions(2);
  commit_one_heartbeat(p, 7, 10, 1);
  auto slice = p.next(t0 + 1s, false); // no heartbeat waits: the slice goes alone
  BOOST_TEST_REQUIRE(slice.has_value());
  BOOST_TEST(slice->first.heartbeats.empty());
  BOOST_TEST(slice->first.last_heartbeats.size() == 1u);
  p.add(beat(7, 11), 2, t0 + 1s);
  BOOST_TEST(!p.next(t0 + 1s, false).has_value()); // as with one session: after the slice
  p.committed(slice->second, t0 + 1s + 1ms);
  auto next = p.next(t0 + 1s + 1ms, false);
  BOOST_TEST_REQUIRE(next.has_value());
  BOOST_TEST(next->second.replies == std::vector<int>{2});
}

namespace {

planner make_with_overflow(std::size_t overflow_batch, std::chrono::microseconds delay = 0us) {
  planner::limits l{1000, delay, 1s};
  l.flush_slices = 1;
  l.sessions = 2;
  l.overflow_batch = overflow_batch;
  return planner{l};
}

/// Starts a batch of one heartbeat in the heartbeat lane and returns it.
planner::receipt busy_heartbeat_lane(planner& p) {
  p.add(beat(1, 1), 1, t0);
  auto first = p.next(t0, false);
  BOOST_TEST_REQUIRE(first.has_value());
  return std::move(first->second);
}

} // namespace

BOOST_AUTO_TEST_CASE(with_two_sessions_a_backlog_of_heartbeats_takes_the_other_session) {
  auto p = make_with_overflow(4);
  auto lane = busy_heartbeat_lane(p);
  for (int i = 2; i <= 4; ++i)
    p.add(beat(i, 1), i, t0);
  BOOST_TEST(!p.next(t0, false).has_value()); // three waiting: not a backlog yet
  p.add(beat(5, 1), 5, t0);
  auto overflow = p.next(t0, false);
  BOOST_TEST_REQUIRE(overflow.has_value());
  BOOST_TEST(overflow->second.replies == (std::vector<int>{2, 3, 4, 5}));
  BOOST_TEST(overflow->first.last_heartbeats.empty());
  BOOST_TEST(overflow->first.status_changes.empty());
  BOOST_TEST(!overflow->second.writes_applications);
  BOOST_TEST(overflow->second.overflow);
  BOOST_TEST(!lane.overflow);
  // Both sessions are busy now: nothing more goes, however much waits.
  for (int i = 6; i <= 20; ++i)
    p.add(beat(i, 1), i, t0);
  BOOST_TEST(!p.next(t0, false).has_value());
  // A change that arrives meanwhile waits for one commit at most, and then goes first.
  p.add(change(1), 100, t0);
  p.committed(overflow->second, t0 + 1ms);
  auto change_batch = p.next(t0 + 1ms, false);
  BOOST_TEST_REQUIRE(change_batch.has_value());
  BOOST_TEST(change_batch->second.replies == std::vector<int>{100});
  p.committed(lane, t0 + 2ms);
  auto rest = p.next(t0 + 2ms, false);
  BOOST_TEST_REQUIRE(rest.has_value());
  BOOST_TEST(rest->first.heartbeats.size() == 15u);
}

BOOST_AUTO_TEST_CASE(a_status_change_waiting_keeps_its_session_from_a_backlog_of_heartbeats) {
  auto p = make_with_overflow(4, 2ms); // a change is not due at once
  p.add(beat(1, 1), 1, t0 - 2ms);
  BOOST_TEST_REQUIRE(p.next(t0, false).has_value()); // the heartbeat lane is busy
  p.add(change(1), 100, t0);
  for (int i = 2; i <= 9; ++i)
    p.add(beat(i, 1), i, t0 - 2ms);                 // due
  BOOST_TEST(!p.next(t0 + 1ms, false).has_value()); // its session stays free for it
  auto change_batch = p.next(t0 + 2ms, false);
  BOOST_TEST_REQUIRE(change_batch.has_value());
  BOOST_TEST(change_batch->second.replies == std::vector<int>{100});
}

BOOST_AUTO_TEST_CASE(no_overflow_when_switched_off) {
  auto p = make_with_overflow(0);
  busy_heartbeat_lane(p);
  for (int i = 2; i <= 600; ++i)
    p.add(beat(i, 1), i, t0);
  BOOST_TEST(!p.next(t0, false).has_value());
}

BOOST_AUTO_TEST_CASE(under_a_backlog_of_heartbeats_last_heartbeat_slices_still_go) {
  auto p = make_with_overflow(4);
  commit_one_heartbeat(p, 7, 10, 1);
  p.add(beat(1, 1), 2, t0);
  auto with_slice = p.next(t0, false); // the first slice is due at once
  BOOST_TEST_REQUIRE(with_slice.has_value());
  BOOST_TEST(with_slice->first.last_heartbeats.size() == 1u);
  p.committed(with_slice->second, t0 + 1ms); // application 1 waits for the next slice
  auto lane = busy_heartbeat_lane(p);
  // A second later the backlog keeps both sessions busy; the slice goes with the overflow.
  for (int i = 2; i <= 5; ++i)
    p.add(beat(i, 1), 10 + i, t0 + 1s);
  auto overflow = p.next(t0 + 1s, false);
  BOOST_TEST_REQUIRE(overflow.has_value());
  BOOST_TEST(overflow->second.overflow);
  BOOST_TEST(overflow->first.heartbeats.size() == 4u);
  BOOST_TEST(overflow->first.last_heartbeats.size() == 1u);
  BOOST_TEST(overflow->first.last_heartbeats.front().first == 1);
}

BOOST_AUTO_TEST_CASE(a_backlog_that_waits_for_its_window_asks_for_a_timer) {
  auto p = make_with_overflow(4, 2ms);
  p.add(beat(1, 1), 1, t0 - 2ms);
  BOOST_TEST_REQUIRE(p.next(t0, false).has_value()); // the heartbeat lane is busy
  for (int i = 2; i <= 5; ++i)
    p.add(beat(i, 1), i, t0);
  BOOST_TEST(!p.next(t0, false).has_value()); // not due yet...
  BOOST_TEST((p.next_due() == t0 + 2ms));     // ...but the writer is woken when it is
  auto overflow = p.next(t0 + 2ms, false);
  BOOST_TEST_REQUIRE(overflow.has_value());
  BOOST_TEST(overflow->second.overflow);
  BOOST_TEST(!p.next_due().has_value()); // both sessions busy: nothing to wake up for
}
