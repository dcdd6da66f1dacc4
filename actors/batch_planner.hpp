#pragma once

#include "model/write_batch.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hb {

/// The writer's batching policy, kept free of actors so that it can be tested with a clock in
/// hand. `Reply` is whatever answers one item (a CAF response promise in the writer).
///
/// The rules, in order:
/// 1. Heartbeats and status changes queue separately, each item with its arrival time.
/// 2. A queue is due when it holds a full batch, when its oldest item has waited `max_delay`,
///    or when that item arrived before the last commit ended (it has waited through a commit
///    already: group commit, not a fixed window); while draining everything is due at once.
/// 3. When something is due, one batch takes up to `max_batch` heartbeats and, unless a batch
///    that writes applications rows is still in flight, up to `max_status_changes` of the
///    status changes.
/// 3a. An application change (create, update, delete) is a barrier: once it is due, the
///    heartbeats and status changes queued before it go first (however many batches that
///    takes), none queued after it start, and when nothing is in flight it commits in a batch
///    of its own. So a delete can never be overtaken by history rows of the application it
///    deletes, and a failing change fails no heartbeat.
/// 4. last_heartbeat is written lazily: what committed batches received is merged per
///    application and written by later batches, at most `max_batch` applications per
///    `last_heartbeat_flush`, oldest first. Its cost is bounded whatever the number of
///    applications; reads do not depend on it (they combine it with history). The quota goes
///    in `flush_slices` slices spread over the interval: an update of 1,000 applications rows
///    held up the heartbeats committing with it and after it (a slow 100 ms once a second).
/// 5. Only one batch that writes applications rows (status changes or last_heartbeat) is in
///    flight at a time: status changes commit in the order they happened, and concurrent
///    transactions cannot deadlock on those rows. Batches of history rows alone (the bulk of
///    the load) commit side by side.
/// 6. With two sessions or more (`sessions` > 1), status changes travel apart: in batches of
///    their own (up to `max_status_changes_alone`), on a session kept for them, while the
///    heartbeats (and their last_heartbeat slices) go in batches of their own, at most
///    `sessions - 1` in flight. A storm of status changes (thousands of applications down at
///    once, each with its outbox rows) then commits beside the heartbeats instead of ahead of
///    them: in a shared batch, every heartbeat waited for a hundred changes. (Before an application
///    change, rule 3a still takes whatever was queued ahead of it in one batch: such changes are
///    rare.)
/// 7. Unless changes wait, a backlog of `overflow_batch` heartbeats or more takes the session
///    of the other lane too: under a load that fills batches, two batches of history rows then
///    commit side by side, one inserting while the other waits for its flush, and the
///    PostgreSQL backend of a single lane no longer caps the rate (closed loop of bench_writer:
///    +15-55% in alternating pairs). With fewer than `overflow_batch` heartbeats in flight nothing
///    changes from rule 6. A change that arrives meanwhile waits for at most one commit of history
///    rows. No effect with one session (SQLite always has one).
template <class Reply> class batch_planner {
public:
  using clock = std::chrono::steady_clock;

  struct limits {
    std::size_t max_batch = 1000;
    std::chrono::microseconds max_delay{2000};
    std::chrono::microseconds last_heartbeat_flush{1000000};
    std::size_t flush_slices = 10;
    /// Status changes per batch at most (never more than max_batch). A change costs far more
    /// than a heartbeat (its outbox rows, its applications row), and the heartbeats sharing
    /// its batch wait for all of it: when thousands of applications go down at once, small
    /// slices keep heartbeat latency low.
    std::size_t max_status_changes = 100;
    /// The same in a lane of their own (rule 6), where no heartbeat waits for them: a storm's
    /// changes are then recorded in fewer, larger transactions, sooner and with less work for
    /// the database (10,000 changes: 0.46-0.63 s in batches of 500, 0.60-0.70 s in batches of
    /// 100, alternating runs of scripts/bench-alerts.sh).
    std::size_t max_status_changes_alone = 500;
    /// Database sessions committing the batches; more than one separates the lanes (rule 6).
    std::size_t sessions = 1;
    /// Heartbeats that must be waiting before a batch of them may take the status-change
    /// session (rule 7); 0: never.
    std::size_t overflow_batch = 256;
  };

  /// What the writer keeps of a batch it handed to a committer, to settle it afterwards.
  struct receipt {
    /// In batch order: heartbeats, status changes, then the `op_count` application changes.
    std::vector<Reply> replies;
    std::size_t op_count = 0;
    std::vector<last_heartbeat_update> received; ///< newest heartbeat per application
    std::vector<last_heartbeat_update> flushed;  ///< last_heartbeat values the batch writes
    bool writes_applications = false;            ///< status changes or last_heartbeat values
    /// Takes a place in the heartbeat lane (rule 6): it carries heartbeats, or a
    /// last_heartbeat slice sent in their place.
    bool heartbeat_lane = false;
    /// Taken by rule 7: committed beside another batch of heartbeats, in the place kept for
    /// status changes.
    bool overflow = false;
  };

  explicit batch_planner(limits l) : limits_{l} {}

  void add(heartbeat_event e, Reply r, clock::time_point now) {
    heartbeats_.push_back({std::move(e), std::move(r), now, ++sequence_});
  }

  void add(status_change c, Reply r, clock::time_point now) {
    changes_.push_back({std::move(c), std::move(r), now, ++sequence_});
  }

  void add(application_op op, Reply r, clock::time_point now) {
    ops_.push_back({std::move(op), std::move(r), now, ++sequence_});
  }

  /// The next batch, if anything is due at `now`.
  std::optional<std::pair<write_batch, receipt>> next(clock::time_point now, bool draining) {
    if (due(ops_, now, draining))
      return next_before_barrier(ops_.front().sequence);
    if (separate_lanes())
      return next_in_lanes(now, draining);
    const bool heartbeats_due = due(heartbeats_, now, draining);
    const bool changes_allowed = !apps_in_flight_ && !changes_.empty();
    const bool changes_due = changes_allowed && due(changes_, now, draining);
    const bool flush_due = flush_is_due(now, draining);
    if (!heartbeats_due && !changes_due && !flush_due)
      return std::nullopt;
    std::pair<write_batch, receipt> out;
    auto& [batch, r] = out;
    take(heartbeats_, batch.heartbeats, r.replies);
    if (changes_allowed) {
      take(changes_, batch.status_changes, r.replies, std::numeric_limits<std::uint64_t>::max(),
           limits_.max_status_changes);
      if (!batch.status_changes.empty())
        r.writes_applications = apps_in_flight_ = true;
    }
    if (flush_due) {
      add_flush_slice(batch, r, now);
    }
    return opened(std::move(out));
  }

  /// When `next` may have something to give if no item arrives; nullopt: nothing is waiting.
  std::optional<clock::time_point> next_due() const {
    // An application change that waits holds everything back until a commit ends (rule 3a),
    // and that end dispatches again: a time reported now would only wake the writer for nothing,
    // over and over while a committer sits idle.
    if (!ops_.empty() && in_flight_ > 0)
      return std::nullopt;
    std::optional<clock::time_point> at;
    auto consider = [&at](clock::time_point t) { at = at ? std::min(*at, t) : t; };
    // (With a backlog, the other lane's session may take heartbeats too: rule 7.)
    const bool lane_open = heartbeat_lane_open() || overflow_open();
    if (!heartbeats_.empty() && lane_open)
      consider(heartbeats_.front().arrived + limits_.max_delay);
    if (!changes_.empty() && !apps_in_flight_)
      consider(changes_.front().arrived + limits_.max_delay);
    if (!ops_.empty())
      consider(ops_.front().arrived + limits_.max_delay);
    if (!unflushed_.empty() && !apps_in_flight_ && lane_open)
      consider(last_flush_ + flush_slice_every());
    return at;
  }

  /// The batch committed at `now`: its heartbeats become last_heartbeat values to write.
  void committed(const receipt& r, clock::time_point now) {
    settle(r, now);
    for (const auto& [id, at] : r.received)
      merge(id, at);
  }

  /// The batch failed and nothing of it was committed. Returns how many last_heartbeat values
  /// were given up (only while draining: they are put back otherwise).
  std::size_t failed(const receipt& r, clock::time_point now, bool draining) {
    settle(r, now);
    if (draining) {
      const auto dropped = r.flushed.size() + unflushed_.size();
      unflushed_.clear();
      dirty_order_.clear();
      return dropped;
    }
    for (const auto& [id, at] : r.flushed)
      merge(id, at);
    return 0;
  }

  /// Nothing queued and nothing left to write.
  bool drained() const {
    return heartbeats_.empty() && changes_.empty() && ops_.empty() && unflushed_.empty();
  }

  std::size_t queued() const { return heartbeats_.size() + changes_.size() + ops_.size(); }

  /// Every reply still queued, for answering them all when the writer has to stop at once.
  std::vector<Reply> take_replies() {
    std::vector<Reply> out;
    for (auto& i : heartbeats_)
      out.push_back(std::move(i.reply));
    for (auto& i : changes_)
      out.push_back(std::move(i.reply));
    for (auto& i : ops_)
      out.push_back(std::move(i.reply));
    heartbeats_.clear();
    changes_.clear();
    ops_.clear();
    return out;
  }

private:
  template <class T> struct item {
    T data;
    Reply reply;
    clock::time_point arrived;
    std::uint64_t sequence = 0; ///< arrival order across all queues
  };

  /// While an application change waits: first what was queued before it, then the change alone.
  std::optional<std::pair<write_batch, receipt>> next_before_barrier(std::uint64_t barrier) {
    std::pair<write_batch, receipt> out;
    auto& [batch, r] = out;
    take(heartbeats_, batch.heartbeats, r.replies, barrier);
    if (!apps_in_flight_) {
      take(changes_, batch.status_changes, r.replies, barrier);
      if (!batch.status_changes.empty())
        r.writes_applications = apps_in_flight_ = true;
    }
    const bool earlier_waiting = (!heartbeats_.empty() && heartbeats_.front().sequence < barrier) ||
                                 (!changes_.empty() && changes_.front().sequence < barrier);
    if (batch.empty()) {
      if (earlier_waiting || in_flight_ > 0)
        return std::nullopt; // the barrier holds until everything before it committed
      take(ops_, batch.application_ops, r.replies);
      r.op_count = batch.application_ops.size();
      r.writes_applications = apps_in_flight_ = true;
    }
    return opened(std::move(out));
  }

  bool separate_lanes() const { return limits_.sessions > 1; }

  /// Whether a batch of heartbeats may start now (rule 6: one session stays for the other lane).
  bool heartbeat_lane_open() const {
    return !separate_lanes() || heartbeat_batches_ < limits_.sessions - 1;
  }

  /// Rule 7: a backlog of heartbeats may take a free session of the other lane, if no status
  /// change waits for it (nor an application change, whose barrier would wait for it too).
  bool overflow_open() const {
    return separate_lanes() && limits_.overflow_batch > 0 &&
           heartbeats_.size() >= limits_.overflow_batch && changes_.empty() && ops_.empty() &&
           in_flight_ < limits_.sessions;
  }

  /// Rule 6: heartbeats with the last_heartbeat slice that is due (as with one session: a slice
  /// of its own would be one more commit beside the heartbeats, 10 a second, and it lengthened
  /// their p99); else status changes alone if they are due and their lane is free; else
  /// heartbeats. The slice goes first so that a stream of changes cannot put it off for ever;
  /// it holds the changes back for one short commit, ten times a second.
  std::optional<std::pair<write_batch, receipt>> next_in_lanes(clock::time_point now,
                                                               bool draining) {
    std::pair<write_batch, receipt> out;
    auto& [batch, r] = out;
    const bool overflow = !heartbeat_lane_open() && overflow_open();
    const bool lane_open = heartbeat_lane_open() || overflow;
    const bool flush_due = lane_open && flush_is_due(now, draining);
    if (!flush_due && !apps_in_flight_ && due(changes_, now, draining)) {
      take(changes_, batch.status_changes, r.replies, std::numeric_limits<std::uint64_t>::max(),
           limits_.max_status_changes_alone);
      r.writes_applications = apps_in_flight_ = true;
      return opened(std::move(out));
    }
    if (!flush_due && (!lane_open || !due(heartbeats_, now, draining)))
      return std::nullopt;
    take(heartbeats_, batch.heartbeats, r.replies);
    if (flush_due) {
      add_flush_slice(batch, r, now); // in an overflow batch too: the first session free takes it
    }
    r.overflow = overflow;
    // A slice alone holds the lane too: with no heartbeat batch beside it, a quiet
    // installation with two sessions commits exactly as with one.
    return opened(std::move(out), true);
  }

  /// Counts a batch about to be handed out.
  std::pair<write_batch, receipt> opened(std::pair<write_batch, receipt> out,
                                         bool heartbeat_lane = false) {
    auto& [batch, r] = out;
    r.received = newest_heartbeat_per_application(batch.heartbeats);
    r.heartbeat_lane = heartbeat_lane || !batch.heartbeats.empty();
    heartbeat_batches_ += r.heartbeat_lane ? 1 : 0;
    ++in_flight_;
    return out;
  }

  /// Adds the next slice of last_heartbeat values to write, oldest first, to the batch.
  void add_flush_slice(write_batch& batch, receipt& r, clock::time_point now) {
    while (!dirty_order_.empty() && r.flushed.size() < flush_slice_rows()) {
      const auto id = dirty_order_.front();
      dirty_order_.pop_front();
      r.flushed.emplace_back(id, unflushed_.at(id));
      unflushed_.erase(id);
    }
    std::sort(r.flushed.begin(), r.flushed.end());
    batch.last_heartbeats = r.flushed;
    r.writes_applications = apps_in_flight_ = true;
    last_flush_ = now;
  }

  template <class T>
  bool due(const std::deque<item<T>>& q, clock::time_point now, bool draining) const {
    return !q.empty() &&
           (draining || q.size() >= limits_.max_batch || q.front().arrived <= last_settled_ ||
            now - q.front().arrived >= limits_.max_delay);
  }

  bool flush_is_due(clock::time_point now, bool draining) const {
    return !unflushed_.empty() && !apps_in_flight_ &&
           (draining || now - last_flush_ >= flush_slice_every());
  }

  /// No more slices than rows in the quota: each slice writes at least one.
  std::size_t flush_slices() const {
    return std::clamp<std::size_t>(limits_.flush_slices, 1,
                                   std::max<std::size_t>(1, limits_.max_batch));
  }
  std::chrono::microseconds flush_slice_every() const {
    return limits_.last_heartbeat_flush / static_cast<std::int64_t>(flush_slices());
  }
  std::size_t flush_slice_rows() const {
    return std::max<std::size_t>(1, limits_.max_batch / flush_slices());
  }

  /// Moves up to max_batch items from the front of `q`, only those that arrived before `before`.
  template <class T>
  void take(std::deque<item<T>>& q, std::vector<T>& into, std::vector<Reply>& replies,
            std::uint64_t before = std::numeric_limits<std::uint64_t>::max(),
            std::size_t most = std::numeric_limits<std::size_t>::max()) {
    const auto n = std::min({q.size(), limits_.max_batch, most});
    into.reserve(n);
    for (std::size_t i = 0; i < n && q.front().sequence < before; ++i) {
      into.push_back(std::move(q.front().data));
      replies.push_back(std::move(q.front().reply));
      q.pop_front();
    }
  }

  void settle(const receipt& r, clock::time_point now) {
    --in_flight_;
    heartbeat_batches_ -= r.heartbeat_lane ? 1 : 0;
    last_settled_ = now;
    if (r.writes_applications)
      apps_in_flight_ = false;
  }

  void merge(std::int64_t id, timestamp at) {
    auto [it, inserted] = unflushed_.try_emplace(id, at);
    if (inserted)
      dirty_order_.push_back(id);
    else if (it->second < at)
      it->second = at;
  }

  limits limits_;
  std::deque<item<heartbeat_event>> heartbeats_;
  std::deque<item<status_change>> changes_;
  std::deque<item<application_op>> ops_;
  bool apps_in_flight_ = false;
  std::size_t in_flight_ = 0;
  std::size_t heartbeat_batches_ = 0; ///< in flight
  std::uint64_t sequence_ = 0;
  std::unordered_map<std::int64_t, timestamp> unflushed_;
  std::deque<std::int64_t> dirty_order_; ///< ids of unflushed_, oldest first
  clock::time_point last_settled_{};
  clock::time_point last_flush_{};
};

} // namespace hb
