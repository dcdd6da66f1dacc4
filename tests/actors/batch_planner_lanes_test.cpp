// Rules 6 and 7 of the batch planner: two sessions or more, status changes in a lane of their
// own, and a backlog of heartbeats taking that lane's session.
#include "support/batch_planner_support.hpp"

using namespace hb;
using namespace hb::planner_test;

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
  auto l = limits_of(1000, delay, 1s, 1, 2);
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
