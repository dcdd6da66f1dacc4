#include "actors/dispatcher.hpp"

#include "model/alert_rules.hpp"

#include "actors/alert_sender.hpp"
#include "actors/system_config.hpp"
#include "persistence/connection.hpp"
#include "persistence/notification_store.hpp"
#include "util/thread_priority.hpp"

#include <deque>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hb {

namespace {

constexpr std::size_t in_flight_per_worker = 4;
constexpr std::size_t fetch_batch = 500; ///< due rows read from the outbox at a time
constexpr std::chrono::milliseconds flush_interval{200}; ///< outcomes are stored this often
constexpr auto sender_grace = std::chrono::seconds{5};
constexpr int background_nice = 10; // see alert_sender.cpp
constexpr auto flush_retry_delay = std::chrono::seconds{1};
// When the rate limit holds sends back, they wait for at least this long, and then go together:
// a timer per send (500 a second in a storm) wakes CAF's clock thread as often, for nothing.
constexpr std::chrono::milliseconds pace_tick{20};

struct in_flight_item {
  due_notification due;
  std::size_t sender = 0;
  test_completion on_test; ///< set for a test notification
  test_result tested;      ///< its result, answered once stored
  /// A sender that has not answered by then is taken as failed (see check_overdue).
  std::chrono::steady_clock::time_point answer_by{};
  /// Which hand-out this is, while its result is awaited; 0 once one came (or for a row closed
  /// without sending). A second result (the sender's, after check_overdue's), or a late one to
  /// an earlier hand-out of the same row, does not match and is ignored.
  std::uint64_t awaiting = 0;
};

struct dispatcher_state {
  dispatcher_state() = default; // not an aggregate: CAF must not build it from `self`
  dispatcher_options options;
  std::unique_ptr<soci::session> session;
  std::vector<alert_sender_actor> senders;
  std::vector<std::size_t> load; ///< attempts each sender has in hand
  /// Handed out and not stored yet: never handed out again while here.
  std::unordered_map<std::int64_t, in_flight_item> in_flight;
  std::vector<notification_outcome> outcomes; ///< decided, not stored yet
  /// Read from the outbox, not handed out yet (never read in twice while here).
  std::deque<due_notification> queue;
  std::unordered_set<std::int64_t> queued_ids;
  bool poll_queued = false;
  bool pace_queued = false; ///< a pace_atom is on its way: the rate limit holds sends back
  delivery_pace pace;
  bool flush_queued = false;
  std::mt19937_64 random{std::random_device{}()};

  bool more_due = false;        ///< the last read of the outbox was cut off at its limit
  std::uint64_t handed_out = 0; ///< hand-outs so far, numbering in_flight_item::awaiting
  bool started = false;         ///< the rows of an earlier run were looked at
  /// Set once asked to stop: nothing new is sent, and it quits when the attempts under way
  /// are stored (or at stop_by).
  std::optional<caf::error> stopping;
  std::chrono::steady_clock::time_point stop_by;
  std::size_t capacity() const { return senders.size() * in_flight_per_worker; }
  /// Attempts handed to senders without a result yet.
  std::size_t sending() const { return std::accumulate(load.begin(), load.end(), std::size_t{0}); }
  soci::session& db() {
    if (!session)
      session = open_session(options.database);
    return *session;
  }

  static inline const char* name = "dispatcher";
};

using dispatcher_pointer = dispatcher_actor::stateful_pointer<dispatcher_state>;

void request_poll(dispatcher_pointer self) {
  if (std::exchange(self->state.poll_queued, true))
    return;
  self->send(self, poll_atom::value);
}

// Outcomes are stored in batches: the flush message queues behind the results already in the
// mailbox, so a storm of deliveries costs a few transactions, not one per notification.
void request_flush(dispatcher_pointer self, std::chrono::milliseconds delay = {}) {
  if (std::exchange(self->state.flush_queued, true))
    return;
  if (delay.count() > 0)
    self->delayed_send(self, delay, flush_atom::value);
  else
    self->send(self, flush_atom::value);
}

void count(const dispatcher_state& st, const notification_outcome& o) {
  if (!st.options.metrics)
    return;
  using state = notification_outcome::state;
  auto& m = *st.options.metrics;
  (o.what == state::delivered ? m.delivered : o.what == state::retry ? m.retried : m.failed)++;
}

void log_outcome(const dispatcher_state& st, const due_notification& d,
                 const notification_outcome& o) {
  using state = notification_outcome::state;
  const auto& n = d.message;
  const auto kind = alerts::to_string(n.kind);
  if (o.what == state::delivered)
    st.options.log->info("alert: {} notification {} of application {} ({}) delivered by {} "
                         "(attempt {})",
                         kind, n.id, n.application_id, n.application_name, n.channel, o.attempts);
  else if (o.what == state::retry)
    st.options.log->warn("alert: {} notification {} of application {} by {}: attempt {} failed, "
                         "retrying at {}: {}",
                         kind, n.id, n.application_id, n.channel, o.attempts,
                         to_iso8601(*o.next_attempt), o.last_error);
  else
    st.options.log->error("alert: {} notification {} of application {} ({}) by {} FAILED after "
                          "{} attempts: {}",
                          kind, n.id, n.application_id, n.application_name, n.channel, o.attempts,
                          o.last_error);
}

void drain_queue(dispatcher_pointer self);
void finish_stop(dispatcher_pointer self);

void on_result(dispatcher_pointer self, std::int64_t id, std::uint64_t attempt_key,
               const alerts::delivery_result& result) {
  auto& st = self->state;
  auto it = st.in_flight.find(id);
  if (it == st.in_flight.end() || it->second.awaiting != attempt_key)
    return;
  auto& item = it->second;
  item.awaiting = 0;
  --st.load[item.sender];
  if (st.options.metrics)
    --st.options.metrics->in_flight;
  const bool is_test = static_cast<bool>(item.on_test);
  const double jitter = std::uniform_real_distribution<double>{0.0, 1.0}(st.random);
  auto outcome = decide_outcome(id, item.due.message.attempt, result, !is_test, st.options.now(),
                                st.options.limits, jitter);
  count(st, outcome);
  log_outcome(st, item.due, outcome);
  if (is_test)
    item.tested = test_result{id, !result, outcome.last_error};
  st.outcomes.push_back(std::move(outcome));
  // A test's caller waits for the stored outcome; the rest are stored a few times a second:
  // in a storm, each commit of outcomes is an fsync the heartbeats' commits would queue behind.
  request_flush(self, is_test ? std::chrono::milliseconds{0} : flush_interval);
  if (st.stopping && st.sending() == 0)
    return finish_stop(self);
  drain_queue(self); // a sender has room again
}

void dispatch(dispatcher_pointer self, due_notification due, test_completion on_test = {}) {
  auto& st = self->state;
  const auto id = due.message.id;
  due.message.application_url =
      st.options.public_url + "/applications/" + std::to_string(due.message.application_id);
  std::size_t pick = 0;
  for (std::size_t i = 1; i < st.senders.size(); ++i)
    if (st.load[i] < st.load[pick])
      pick = i;
  ++st.load[pick];
  if (st.options.metrics)
    ++st.options.metrics->in_flight;
  auto message = due.message;
  // A reply never comes only if a sender hangs; check_overdue turns that into a retry. (Not a
  // request timeout: CAF 0.17 sets and cancels each one on its clock thread, two wake-ups of it
  // per notification.) A sender that stopped answers with an error at once.
  const auto answer_by = std::chrono::steady_clock::now() +
                         st.options.channels.timeout * (in_flight_per_worker + 1) + sender_grace;
  const auto key = ++st.handed_out;
  st.in_flight.emplace(
      id, in_flight_item{std::move(due), pick, std::move(on_test), {}, answer_by, key});
  self->request(st.senders[pick], caf::infinite, send_atom::value, std::move(message))
      .then([self, id, key](delivery_report& r) { on_result(self, id, key, r.result); },
            [self, id, key](caf::error& err) {
              on_result(self, id, key,
                        alerts::delivery_error{"sender failed: " + error_text(err), false, {}});
            });
}

// A row that may no longer be sent is closed without sending (and said so on the row).
void cancel(dispatcher_pointer self, const due_notification& d, const char* why) {
  auto& st = self->state;
  if (st.options.metrics)
    ++st.options.metrics->cancelled;
  st.options.log->info("alert: {} notification {} of application {} not sent: {}",
                       alerts::to_string(d.message.kind), d.message.id, d.message.application_id,
                       why);
  st.outcomes.push_back({d.message.id, d.message.attempt - 1, notification_outcome::state::failed,
                         st.options.now(), std::nullopt, std::string{"not sent: "} + why});
  st.in_flight.emplace(d.message.id, in_flight_item{d, 0, {}, {}});
  request_flush(self);
}

// Hands queued rows to the senders while there is room and the rate allows; when it does not,
// comes back when the next one may go.
void drain_queue(dispatcher_pointer self) {
  auto& st = self->state;
  while (!st.stopping && st.sending() < st.capacity() && !st.queue.empty()) {
    if (auto wait = st.pace.take(std::chrono::steady_clock::now()); wait.count() > 0) {
      // One wake-up pending at most, cleared only by its own arrival. (It was a poll, and every
      // poll cleared the flag: each poll of a storm's delivery phase, from publishes, flushes
      // and ticks, left one more 20 ms timer behind that re-armed itself. Thousands of
      // wake-ups a second of CAF's clock thread and the dispatcher by the end of a storm.)
      if (!std::exchange(st.pace_queued, true)) {
        self->delayed_send(self, std::max(wait, pace_tick), pace_atom::value);
        if (st.options.metrics)
          ++st.options.metrics->rate_waits;
      }
      return;
    }
    auto d = std::move(st.queue.front());
    st.queue.pop_front();
    st.queued_ids.erase(d.message.id);
    if (!d.config_enabled)
      cancel(self, d, "the alert was disabled");
    else if (!d.application_active && d.message.kind != alerts::notification_kind::test)
      cancel(self, d, "the application is paused");
    else if (d.message.kind == alerts::notification_kind::reminder &&
             d.message.status != app_status::down)
      // Queued by a sweep just before the recovery committed: "still down" after "up" would
      // be wrong.
      cancel(self, d, "the application recovered");
    else
      dispatch(self, std::move(d));
  }
  if (st.more_due && st.queue.size() < st.capacity())
    request_poll(self);
}

// Reads due rows in batches into a queue of its own (what a row says is as read: a config
// changed or deleted in the second or so it waits is sent as it was, and storing the outcome of
// a deleted row changes nothing): in a storm the outbox is read a few
// times, not once per handful of deliveries (each read also walks the index entries of rows
// delivered since, until PostgreSQL vacuums them).
void poll(dispatcher_pointer self) {
  auto& st = self->state;
  st.poll_queued = false;
  if (st.queue.size() < st.capacity()) {
    // Rows in flight or queued are still due in the database: they come back, and are skipped.
    const auto known = st.in_flight.size() + st.queue.size();
    std::vector<due_notification> due;
    try {
      if (!st.started) {
        // Only this process sends: no test is under way yet, so any unfinished one is left
        // over from an earlier run.
        if (auto n = close_abandoned_tests(st.db(), st.options.database.backend, st.options.now()))
          st.options.log->info("alert: closed {} test notifications left unfinished", n);
        st.started = true;
      }
      due = due_notifications(st.db(), st.options.database.backend, st.options.now(),
                              known + fetch_batch);
    } catch (const std::exception& e) {
      st.session.reset();
      st.options.log->warn("alert: cannot read the outbox, will retry: {}", e.what());
      due.clear();
    }
    st.more_due = due.size() == known + fetch_batch;
    for (auto& d : due)
      if (st.in_flight.count(d.message.id) == 0 && st.queued_ids.insert(d.message.id).second)
        st.queue.push_back(std::move(d));
  }
  drain_queue(self);
}

// Attempts whose sender has not answered long past the channel timeout fail (and are retried).
void check_overdue(dispatcher_pointer self) {
  auto& st = self->state;
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::pair<std::int64_t, std::uint64_t>> overdue;
  for (const auto& [id, item] : st.in_flight)
    if (item.awaiting != 0 && item.answer_by <= now)
      overdue.emplace_back(id, item.awaiting);
  for (auto [id, key] : overdue)
    on_result(self, id, key, alerts::delivery_error{"sender failed: no answer", false, {}});
}

void flush(dispatcher_pointer self) {
  auto& st = self->state;
  st.flush_queued = false;
  if (st.outcomes.empty())
    return;
  try {
    record_outcomes(st.db(), st.options.database.backend, st.outcomes);
  } catch (const std::exception& e) {
    // Kept in flight (so never sent twice) until they are stored.
    st.session.reset();
    st.options.log->warn("alert: cannot store {} delivery outcomes, will retry: {}",
                         st.outcomes.size(), e.what());
    request_flush(self, std::chrono::duration_cast<std::chrono::milliseconds>(flush_retry_delay));
    return;
  }
  std::optional<timestamp> next_retry;
  for (const auto& o : st.outcomes) {
    auto it = st.in_flight.find(o.id);
    if (it == st.in_flight.end())
      continue;
    if (it->second.on_test) // answered once the log shows the outcome
      it->second.on_test(caf::error{}, it->second.tested);
    st.in_flight.erase(it);
    if (o.next_attempt && (!next_retry || *o.next_attempt < *next_retry))
      next_retry = o.next_attempt;
  }
  st.outcomes.clear();
  request_poll(self); // room again
  // A retry sooner than the next tick gets a poll of its own, so short backoffs are kept.
  if (next_retry) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        *next_retry - st.options.now() + std::chrono::milliseconds{1});
    if (wait < st.options.poll_interval)
      self->delayed_send(self, std::max(wait, std::chrono::milliseconds{0}), poll_atom::value);
  }
}

void start_test(dispatcher_pointer self, std::int64_t app, std::int64_t config,
                const test_completion& done) {
  auto& st = self->state;
  if (st.stopping)
    return done(make_error(errc::shutting_down, "the server is stopping"), {});
  std::optional<due_notification> due;
  try {
    const auto id = insert_test_notification(st.db(), st.options.database.backend, app, config,
                                             st.options.now());
    due = find_notification(st.db(), st.options.database.backend, id);
  } catch (const std::exception& e) {
    st.session.reset();
    return done(make_error(errc::database_unavailable, e.what()), {});
  }
  if (!due)
    return done(make_error(errc::unknown_application, "no such alert"), {});
  dispatch(self, std::move(*due), done);
}

// A sender only goes when the dispatcher goes (it turns every failure into a reply), but if
// one does, alerting must go on: its attempts under way come back as errors (and are retried),
// and a new sender takes its place.
void replace_sender(dispatcher_pointer self, std::size_t i, const caf::error& reason) {
  auto& st = self->state;
  st.options.log->error("alert: sender {} stopped ({}); starting a new one", i, error_text(reason));
  st.senders[i] = spawn_alert_sender(self->home_system(), st.options.channels);
  self->link_to(st.senders[i]);
}

void finish_stop(dispatcher_pointer self) {
  flush(self); // what was decided is stored
  self->quit(*self->state.stopping);
}

// Stopping sends nothing new, but waits for the attempts under way (at most one channel
// timeout): quitting at once would leave their outcomes unstored, and the next start would
// send them again.
void begin_stop(dispatcher_pointer self, caf::error reason) {
  auto& st = self->state;
  st.stopping = std::move(reason);
  st.stop_by = std::chrono::steady_clock::now() + st.options.channels.timeout + sender_grace;
  if (st.sending() == 0)
    finish_stop(self);
}

dispatcher_actor::behavior_type dispatcher(dispatcher_pointer self, dispatcher_options options) {
  lower_thread_priority(background_nice); // runs on the actor's own thread (detached)
  auto& st = self->state;
  st.options = std::move(options);
  st.pace = delivery_pace{st.options.max_rate};
  auto& sys = self->home_system();
  for (std::size_t i = 0; i < std::max<std::size_t>(st.options.workers, 1); ++i) {
    st.senders.push_back(spawn_alert_sender(sys, st.options.channels));
    self->link_to(st.senders.back()); // they go when the dispatcher goes
  }
  st.load.assign(st.senders.size(), 0);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    for (std::size_t i = 0; i < st.senders.size(); ++i)
      if (msg.source == st.senders[i].address())
        return replace_sender(self, i, msg.reason);
    begin_stop(self, std::move(msg.reason));
  });
  self->send(self, poll_atom::value); // rows left pending by the last run
  st.poll_queued = true;
  self->delayed_send(self, st.options.poll_interval, tick_atom::value);
  return {
      [self](publish_atom, std::int64_t, const transition& t) {
        if (alert_for(t.from, t.to)) // a first heartbeat, a pause: nothing was queued
          request_poll(self);
      },
      [self](poll_atom) { poll(self); },
      [self](test_atom, std::int64_t app, std::int64_t config, const test_completion& done) {
        start_test(self, app, config, done);
      },
      [self](flush_atom) { flush(self); },
      [self](pace_atom) {
        self->state.pace_queued = false;
        drain_queue(self);
      },
      [self](tick_atom) {
        auto& st = self->state;
        if (st.stopping && std::chrono::steady_clock::now() >= st.stop_by)
          return finish_stop(self);
        check_overdue(self);
        request_poll(self);
        self->delayed_send(self, self->state.options.poll_interval, tick_atom::value);
      },
  };
}

} // namespace

dispatcher_actor spawn_dispatcher(caf::actor_system& sys, dispatcher_options options) {
  return sys.spawn<caf::detached>(dispatcher, std::move(options));
}

} // namespace hb
