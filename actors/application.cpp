#include "actors/application.hpp"

#include <vector>

namespace hb {

namespace {

// A heartbeat stamped just before its deadline may still be on its way through the shard when
// the timer fires; the timer waits this much longer so that it wins.
constexpr auto deadline_slack = std::chrono::milliseconds{100};
constexpr auto status_retry_delay = std::chrono::seconds{1};

struct application_state {
  application_state() = default; // not an aggregate: CAF must not build it from `self`
  std::int64_t id = 0;
  std::string uuid;
  app_clock clock;
  /// The deadline the one pending timer was set for, if one is pending.
  std::optional<timestamp> timer_for;
  std::uint64_t timers_set = 0;
  /// Status changes not yet committed, oldest first; almost always empty. Not a std::deque:
  /// libstdc++'s allocates about 600 bytes even when empty, 600 MB for a million applications.
  std::vector<transition> outbox;
  bool sending = false; ///< the oldest is with the writer
  std::uint64_t failures = 0;
  std::shared_ptr<const application_context> ctx;

  static inline const char* name = "application";
};

using application_pointer = application_actor::stateful_pointer<application_state>;

// Keeps exactly one timer pending while there is a deadline: a new one only when none is
// pending or the pending one would fire too late (the deadline moved earlier).
void arm(application_pointer self) {
  auto& st = self->state;
  const auto deadline = down_after(st.clock);
  if (!deadline || (st.timer_for && *st.timer_for <= *deadline))
    return;
  st.timer_for = deadline;
  ++st.timers_set;
  const auto wait = std::max(*deadline - st.ctx->now(), timestamp::duration{0}) + deadline_slack;
  self->delayed_send(self, wait, deadline_atom::value, *deadline);
}

// Runs `change` on the clock and keeps the status counters in step with it.
template <class F> auto counted(application_pointer self, F change) {
  auto& st = self->state;
  const auto before = status_counters::bucket(st.clock);
  auto result = change(st.clock);
  if (st.ctx->counters)
    st.ctx->counters->move(before, status_counters::bucket(st.clock));
  return result;
}

// Status changes leave through an outbox, one at a time and in order: a change that could not
// be committed (the database was away) is retried until it is, and the ones after it wait, so
// the history is never out of order and no transition (no alert) is lost. Each is logged and
// told to the subscriber only once committed.
void send_next(application_pointer self) {
  auto& st = self->state;
  if (st.sending || st.outbox.empty())
    return;
  st.sending = true;
  const auto& t = st.outbox.front();
  auto me = application_actor{self};
  self->send(
      st.ctx->writer, record_atom::value, status_change{st.id, t.from, t.to, t.at},
      completion{[me](const caf::error& err) { caf::anon_send(me, recorded_atom::value, !err); }});
}

void record(application_pointer self, const transition& t) {
  self->state.outbox.push_back(t);
  send_next(self);
}

void on_recorded(application_pointer self, bool committed) {
  auto& st = self->state;
  st.sending = false;
  if (!committed) {
    if (st.failures++ == 0)
      st.ctx->log->warn("application {} ({}): status change {} -> {} not recorded yet, retrying",
                        st.id, st.uuid, to_string(st.outbox.front().from),
                        to_string(st.outbox.front().to));
    self->delayed_send(self, status_retry_delay, retry_atom::value);
    return;
  }
  st.failures = 0;
  const auto t = st.outbox.front();
  st.outbox.erase(st.outbox.begin());
  st.ctx->log->info("application {} ({}) is {} (was {})", st.id, st.uuid, to_string(t.to),
                    to_string(t.from));
  if (st.ctx->subscriber)
    caf::anon_send(st.ctx->subscriber, publish_atom::value, st.id, t);
  send_next(self);
}

// The deadline passed (timer, or the monitor's sweep): goes down once.
bool check(application_pointer self) {
  auto& st = self->state;
  auto t = counted(self, [&](app_clock& c) { return on_deadline(c, st.ctx->now()); });
  if (t)
    record(self, *t);
  arm(self);
  return t.has_value();
}

application_actor::behavior_type application(application_pointer self, std::int64_t id,
                                             std::string uuid, app_clock clock,
                                             std::shared_ptr<const application_context> ctx) {
  auto& st = self->state;
  st.id = id;
  st.uuid = std::move(uuid);
  st.clock = clock;
  st.ctx = std::move(ctx);
  if (st.ctx->counters)
    st.ctx->counters->add(status_counters::bucket(st.clock), 1);
  arm(self);
  return {
      [self](heartbeat_atom, timestamp at, std::string& addr, completion& done) {
        auto& st = self->state;
        for (const auto& t : counted(self, [at](app_clock& c) { return on_heartbeat(c, at); }))
          record(self, t);
        self->send(st.ctx->writer, record_atom::value, heartbeat_event{st.id, at, std::move(addr)},
                   std::move(done));
        arm(self);
      },
      [self](deadline_atom, timestamp set_for) {
        auto& st = self->state;
        if (st.timer_for != set_for)
          return; // a timer made stale by an earlier one: that one is in charge
        st.timer_for.reset();
        check(self);
      },
      [self](check_atom) { return check(self); },
      [self](update_atom, const application_record& r) {
        auto& st = self->state;
        st.clock.interval = std::chrono::seconds{r.expected_interval_s};
        st.clock.grace = std::chrono::seconds{r.grace_period_s};
        if (auto t = counted(
                self, [&](app_clock& c) { return set_active(c, r.is_active, st.ctx->now()); }))
          record(self, *t);
        check(self); // a shorter window may already be over
      },
      [self](get_atom) {
        auto& st = self->state;
        return app_snapshot{st.id,
                            status_at(st.clock, st.ctx->now()),
                            st.clock.last_heartbeat,
                            down_after(st.clock),
                            st.timers_set,
                            st.outbox.size()};
      },
      [self](recorded_atom, bool committed) { on_recorded(self, committed); },
      [self](retry_atom) { send_next(self); },
      [self](delete_atom) {
        if (self->state.ctx->counters)
          self->state.ctx->counters->add(status_counters::bucket(self->state.clock), -1);
        self->quit();
        return ok_atom::value;
      },
  };
}

} // namespace

app_clock clock_from_record(const application_record& r, timestamp startup) {
  app_clock c;
  c.interval = std::chrono::seconds{r.expected_interval_s};
  c.grace = std::chrono::seconds{r.grace_period_s};
  c.is_active = r.is_active;
  c.last_heartbeat = r.last_heartbeat;
  c.latched = r.status;
  c = on_restart(c, startup);
  if (c.latched == app_status::up && r.resumed_at && *r.resumed_at > *c.window_start)
    c.window_start = r.resumed_at; // resumed after the last heartbeat: a full window from then
  return c;
}

application_actor spawn_application(caf::local_actor* parent, std::int64_t id, std::string uuid,
                                    app_clock clock,
                                    std::shared_ptr<const application_context> ctx) {
  return parent->spawn(application, id, std::move(uuid), clock, std::move(ctx));
}

} // namespace hb
