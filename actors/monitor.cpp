#include "actors/monitor.hpp"

#include "persistence/connection.hpp"
#include "persistence/monitor_queries.hpp"
#include "persistence/notification_store.hpp"

namespace hb {

namespace {

constexpr auto missed_timer_margin = std::chrono::seconds{1};

struct monitor_state {
  monitor_state() = default; // not an aggregate: CAF must not build it from `self`
  monitor_options options;
  std::unique_ptr<soci::session> session;
  std::int64_t prune_after = 0;
};

// Detached and blocking: it asks the shards with a scoped request of its own.
sweep_report sweep(caf::blocking_actor* self, monitor_state& st) {
  sweep_report report;
  try {
    if (!st.session)
      st.session = open_session(st.options.database);
    const auto backend = st.options.database.backend;
    // A timer fires within its 100 ms slack of the deadline: only an application overdue by
    // more than this margin has missed its own (else the sweep would race the timer and call
    // a punctual timer missed).
    const auto uuids =
        overdue_candidates(*st.session, backend, st.options.now() - missed_timer_margin);
    report.candidates = uuids.size();
    for (const auto& uuid : uuids) {
      self->request(st.options.apps.shard_for(uuid), std::chrono::seconds{5}, check_atom::value,
                    uuid)
          .receive([&](bool went_down) { report.missed += went_down ? 1 : 0; },
                   [](caf::error&) { /* deleted meanwhile, or busy: the next sweep retries */ });
    }
    if (report.missed > 0)
      st.options.log->warn("monitor: {} applications were past their deadline without their "
                           "timer firing; now down",
                           report.missed);
    report.reminders = queue_reminders(*st.session, backend, st.options.now());
    if (report.reminders > 0)
      st.options.log->info("monitor: queued {} reminders for applications still down",
                           report.reminders);
    // Batch after batch, for at most a tenth of the time between sweeps and never more than a
    // second (the monitor answers its exit message only after): a fixed number of applications
    // per sweep would take many hours to get round a million of them, while their history grew
    // past the retention. A pass that reaches the end stops the sweep's pruning; the next sweep
    // starts the next pass.
    const auto prune_until = std::chrono::steady_clock::now() +
                             std::min<std::chrono::steady_clock::duration>(st.options.interval / 10,
                                                                           std::chrono::seconds{1});
    do {
      const auto progress = prune_history(*st.session, backend, st.options.retention,
                                          st.prune_after, st.options.prune_batch);
      st.prune_after = progress.last_id;
      report.pruned += progress.deleted;
      report.pruned_applications += progress.applications;
    } while (st.prune_after != 0 && std::chrono::steady_clock::now() < prune_until);
    if (report.pruned > 0)
      st.options.log->debug("monitor: pruned {} history rows", report.pruned);
  } catch (const std::exception& e) {
    st.session.reset();
    st.options.log->warn("monitor: sweep failed, will retry: {}", e.what());
  }
  return report;
}

void monitor(caf::blocking_actor* self, monitor_options options) {
  monitor_state st;
  st.options = std::move(options);
  if (st.options.periodic)
    self->delayed_send(self, st.options.interval, tick_atom::value);
  bool running = true;
  self->receive_while(running)([&](check_atom) { return sweep(self, st); },
                               [&](tick_atom) {
                                 sweep(self, st);
                                 self->delayed_send(self, st.options.interval, tick_atom::value);
                               },
                               [&](caf::exit_msg&) { running = false; });
}

} // namespace

monitor_actor spawn_monitor(caf::actor_system& sys, monitor_options options) {
  return caf::actor_cast<monitor_actor>(sys.spawn<caf::detached>(monitor, std::move(options)));
}

} // namespace hb
