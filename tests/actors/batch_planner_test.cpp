#include "support/batch_planner_support.hpp"

using namespace hb;
using namespace hb::planner_test;

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
