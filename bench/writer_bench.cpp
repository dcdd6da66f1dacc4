// Pushes heartbeat events through the writer from many sender actors and prints throughput and
// latency. Two ways to load it:
//   closed loop (default): each sender keeps a fixed number of requests outstanding, so the
//     writer runs as fast as it can: the most it sustains;
//   open loop (--rate R): the senders together send R events a second on a fixed schedule,
//     whatever the answers, and latency counts from each event's scheduled time: what a given
//     load costs, without a slow answer holding back the next requests.
// --warmup S loads the writer for S seconds before the measured window (the database's caches
// and the writer's buffers settle). Run by scripts/bench-writer.sh; see docs/benchmarks.md.

#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "persistence/application_store.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <latch>
#include <mutex>
#include <string>
#include <thread>

using namespace hb;
using namespace std::chrono;

namespace {

struct options {
  std::string database;
  int senders = 64;
  int inflight = 16;
  double rate = 0; ///< events per second in all (open loop); 0: closed loop
  int seconds = 5;
  int warmup = 0;
  int apps = 1000;
  std::size_t max_batch = 1000;
  long max_delay_us = 0;
  std::size_t threads = 2;
  std::size_t connections = 2; // the server's default (HEARTBEATD_WRITER_CONNECTIONS)
  std::size_t overflow_batch = writer_options{}.overflow_batch;
  long flush_ms = 1000;
};

/// What one sender counted, and then all of them together.
struct tally {
  std::vector<std::int64_t> latencies_us;      ///< of events sent in the measured window
  std::vector<std::int64_t> worst_per_slot_us; ///< worst latency per 100 ms of scheduled time
  std::uint64_t answered_in_window = 0;        ///< committed answers that arrived in the window
  std::uint64_t acknowledged = 0;              ///< all committed answers, warm-up included
  std::uint64_t failures = 0;

  void add(const tally& other) {
    latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
    worst_per_slot_us.resize(std::max(worst_per_slot_us.size(), other.worst_per_slot_us.size()));
    for (std::size_t i = 0; i < other.worst_per_slot_us.size(); ++i)
      worst_per_slot_us[i] = std::max(worst_per_slot_us[i], other.worst_per_slot_us[i]);
    answered_in_window += other.answered_in_window;
    acknowledged += other.acknowledged;
    failures += other.failures;
  }
};

/// What every sender shares: the schedule, and where the results go.
struct run {
  writer_actor writer;
  std::vector<std::int64_t> app_ids;
  steady_clock::time_point measure_from; ///< the end of the warm-up
  steady_clock::time_point deadline;     ///< no event is sent (or scheduled) after it
  double rate_per_sender = 0;
  std::latch* done = nullptr;

  std::mutex mutex;
  std::vector<tally> finished; ///< one per sender, added up once all are done
};

struct sender_state {
  tally counted;
  int outstanding = 0;
  std::size_t next_app = 0;
  std::uint64_t scheduled = 0; ///< open loop: events sent so far
  steady_clock::time_point started;
};

using sender = caf::stateful_actor<sender_state>;

void finish_if_done(sender* self, run* r) {
  if (self->state.outstanding != 0 || steady_clock::now() < r->deadline)
    return;
  auto& st = self->state;
  {
    // Moved, not added up here: senders still waiting for answers share these threads.
    std::lock_guard guard{r->mutex};
    r->finished.push_back(std::move(st.counted));
  }
  st.outstanding = -1; // reported: never again
  r->done->count_down();
  self->quit();
}

/// Sends one event that was due at `due`. It goes the way heartbeats go in the server: with a
/// completion, which answers by a message back to the sender. (A CAF request would do too, but
/// CAF 0.17 keeps an actor's pending requests in a flat map searched linearly: with thousands
/// outstanding per sender, as the open loop has when the writer falls behind, the senders
/// themselves collapsed.)
void send_one(sender* self, run* r, steady_clock::time_point due) {
  auto& st = self->state;
  const auto app = r->app_ids[st.next_app++ % r->app_ids.size()];
  ++st.outstanding;
  completion answer{[me = caf::actor{self}, due](const caf::error& err) {
    caf::anon_send(me, recorded_atom::value, due.time_since_epoch().count(), !err);
  }};
  self->send(r->writer, record_atom::value, heartbeat_event{app, system_now(), "127.0.0.1"},
             std::move(answer));
}

/// Counts the answer to an event that was due at `due`.
void count_answer(sender* self, run* r, steady_clock::time_point due, bool ok) {
  --self->state.outstanding;
  auto& s = self->state.counted;
  const auto now = steady_clock::now();
  if (!ok) {
    ++s.failures;
    return;
  }
  ++s.acknowledged;
  if (now >= r->measure_from && now < r->deadline)
    ++s.answered_in_window;
  if (due >= r->measure_from) {
    const auto us = duration_cast<microseconds>(now - due).count();
    s.latencies_us.push_back(us);
    const auto slot = static_cast<std::size_t>((due - r->measure_from) / milliseconds{100});
    if (slot >= s.worst_per_slot_us.size())
      s.worst_per_slot_us.resize(slot + 1);
    s.worst_per_slot_us[slot] = std::max(s.worst_per_slot_us[slot], us);
  }
}

/// Closed loop (`inflight` > 0): keeps that many events outstanding, each answer sending the
/// next until the deadline. Open loop (`inflight` == 0): every millisecond, sends what the
/// schedule says is due by now.
caf::behavior sender_behavior(sender* self, run* r, int inflight) {
  self->state.started = steady_clock::now();
  if (inflight > 0) {
    for (int i = 0; i < inflight; ++i)
      send_one(self, r, steady_clock::now());
  } else {
    self->send(self, tick_atom::value);
  }
  return {
      [self, r, inflight](recorded_atom, steady_clock::rep due, bool ok) {
        count_answer(self, r, steady_clock::time_point{steady_clock::duration{due}}, ok);
        if (inflight > 0 && steady_clock::now() < r->deadline)
          send_one(self, r, steady_clock::now());
        else
          finish_if_done(self, r);
      },
      [self, r](tick_atom) {
        auto& st = self->state;
        const auto now = std::min(steady_clock::now(), r->deadline);
        const auto interval = duration<double>(1.0 / r->rate_per_sender);
        for (;;) {
          const auto due = st.started + duration_cast<steady_clock::duration>(
                                            interval * static_cast<double>(st.scheduled));
          if (due > now)
            break;
          ++st.scheduled;
          send_one(self, r, due);
        }
        if (steady_clock::now() < r->deadline)
          self->delayed_send(self, milliseconds{1}, tick_atom::value);
        else
          finish_if_done(self, r);
      },
  };
}

double as_ms(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

/// `part` / `whole`, 0 when `whole` is 0.
double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

/// The writer's commit counters at one moment, to take the warm-up out of the figures.
struct commit_counters {
  std::uint64_t batches = 0, items = 0, commit_us = 0;
  std::array<std::uint64_t, writer_metrics::latency_bounds_us.size() + 1> buckets{};

  static commit_counters of(const writer_metrics& m) {
    commit_counters c{m.batches.load(), m.items.load(), m.commit_us_sum.load(), {}};
    for (std::size_t i = 0; i < c.buckets.size(); ++i)
      c.buckets[i] = m.latency_buckets[i].load();
    return c;
  }

  commit_counters since(const commit_counters& earlier) const {
    commit_counters d{
        batches - earlier.batches, items - earlier.items, commit_us - earlier.commit_us, {}};
    for (std::size_t i = 0; i < buckets.size(); ++i)
      d.buckets[i] = buckets[i] - earlier.buckets[i];
    return d;
  }

  /// The bucket holding the p-th percentile of commit times.
  std::string percentile(double p) const {
    std::uint64_t total = 0;
    for (auto b : buckets)
      total += b;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      seen += buckets[i];
      if (total > 0 && static_cast<double>(seen) >= p * static_cast<double>(total))
        return i < writer_metrics::latency_bounds_us.size()
                   ? fmt::format("<= {:.1f} ms", as_ms(writer_metrics::latency_bounds_us[i]))
                   : std::string{"> 1000 ms"};
    }
    return "n/a";
  }
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--database")
      o.database = v;
    else if (k == "--senders")
      o.senders = std::stoi(v);
    else if (k == "--inflight")
      o.inflight = std::stoi(v);
    else if (k == "--rate")
      o.rate = std::stod(v);
    else if (k == "--warmup")
      o.warmup = std::stoi(v);
    else if (k == "--seconds")
      o.seconds = std::stoi(v);
    else if (k == "--apps")
      o.apps = std::stoi(v);
    else if (k == "--max-batch")
      o.max_batch = std::stoul(v);
    else if (k == "--max-delay-us")
      o.max_delay_us = std::stol(v);
    else if (k == "--connections")
      o.connections = std::stoul(v);
    else if (k == "--overflow-batch")
      o.overflow_batch = std::stoul(v);
    else if (k == "--flush-ms")
      o.flush_ms = std::stol(v);
    else if (k == "--threads")
      o.threads = std::stoul(v);
    else
      throw std::invalid_argument("unknown option " + k);
  }
  if (o.database.empty())
    throw std::invalid_argument(
        "usage: bench_writer --database URL [--senders N] [--inflight K | --rate R] "
        "[--seconds S] [--warmup S] [--apps A] [--max-batch B] "
        "[--max-delay-us D] [--connections C] [--overflow-batch O (0: off)] "
        "[--flush-ms F] [--threads T]");
  return o;
}

} // namespace

int main(int argc, char** argv) try {
  const auto o = parse(argc, argv);
  const auto url = parse_database_url(o.database);
  prepare_database_location(url);
  std::vector<std::int64_t> app_ids;
  {
    auto s = open_session(url);
    apply_migrations(*s, url.backend);
    soci::transaction tx{*s};
    for (int i = 0; i < o.apps; ++i)
      app_ids.push_back(
          insert_application(*s, url.backend, {fmt::format("bench-{}", i), 60, 0}, system_now())
              .id);
    tx.commit();
  }

  system_config cfg{o.threads};
  caf::actor_system sys{cfg};
  writer_options wo;
  wo.database = url;
  wo.max_batch = o.max_batch;
  wo.max_delay = microseconds{o.max_delay_us};
  wo.connections = o.connections;
  wo.overflow_batch = o.overflow_batch;
  wo.last_heartbeat_flush = milliseconds{o.flush_ms};
  wo.log = std::make_shared<const logger>(log_level::warn);

  std::latch done{o.senders};
  run r;
  r.writer = spawn_writer(sys, wo);
  r.app_ids = std::move(app_ids);
  r.done = &done;
  r.rate_per_sender = o.rate / o.senders;
  const auto started = steady_clock::now();
  r.measure_from = started + seconds{o.warmup};
  r.deadline = r.measure_from + seconds{o.seconds};
  for (int i = 0; i < o.senders; ++i) {
    const auto first_app = static_cast<std::size_t>(i) * 7919;
    const int inflight = o.rate > 0 ? 0 : o.inflight;
    // Room for the window's latencies up front: a vector that grows while measuring faults in
    // fresh pages, a pause of milliseconds on these machines, counted against the writer.
    const double per_second = o.rate > 0 ? r.rate_per_sender : 400000.0 / o.senders;
    const auto expected = static_cast<std::size_t>(per_second * 1.2 * o.seconds);
    sys.spawn([&r, first_app, inflight, expected](sender* self) {
      self->state.next_app = first_app;
      self->state.counted.latencies_us.reserve(expected);
      return sender_behavior(self, &r, inflight);
    });
  }
  std::this_thread::sleep_until(r.measure_from);
  const auto at_start = commit_counters::of(*wo.metrics);
  std::this_thread::sleep_until(r.deadline);
  const auto window = commit_counters::of(*wo.metrics).since(at_start);
  done.wait();
  caf::anon_send_exit(r.writer, caf::exit_reason::user_shutdown);

  tally all;
  for (const auto& t : r.finished)
    all.add(t);
  auto& lat = all.latencies_us;
  std::sort(lat.begin(), lat.end());
  long long stored = 0;
  {
    auto s = open_session(url);
    *s << "SELECT COUNT(*) FROM heartbeat_events", soci::into(stored);
  }
  fmt::print("backend={} senders={} {} apps={} max_batch={} max_delay_us={} connections={} "
             "overflow_batch={} flush_ms={} warmup={}s measured={}s\n",
             url.backend == db_backend::sqlite3 ? "sqlite3" : "postgresql", o.senders,
             o.rate > 0 ? fmt::format("open loop, offered {:.0f} events/s", o.rate)
                        : fmt::format("closed loop, inflight_per_sender={}", o.inflight),
             o.apps, o.max_batch, o.max_delay_us,
             url.backend == db_backend::sqlite3 ? std::size_t{1} : o.connections, o.overflow_batch,
             o.flush_ms, o.warmup, o.seconds);
  fmt::print("  durable events/s:      {:.0f}\n",
             static_cast<double>(all.answered_in_window) / o.seconds);
  fmt::print("  ack latency ({} -> committed reply): p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} "
             "ms\n",
             o.rate > 0 ? "scheduled send" : "send", as_ms(percentile(lat, 0.50)),
             as_ms(percentile(lat, 0.99)), lat.empty() ? 0.0 : as_ms(lat.back()));
  fmt::print("  transactions: {}, mean batch {:.0f} events, commit time mean {:.2f} ms, p50 {}, "
             "p99 {}\n",
             window.batches, ratio(window.items, window.batches),
             ratio(window.commit_us, window.batches) / 1000.0, window.percentile(0.50),
             window.percentile(0.99));
  std::string stalls;
  std::size_t slow_slots = 0;
  for (std::size_t i = 0; i < all.worst_per_slot_us.size(); ++i)
    if (all.worst_per_slot_us[i] > 20000 && ++slow_slots <= 12)
      stalls += fmt::format(" {:.1f}s:{}ms", static_cast<double>(i) / 10.0,
                            all.worst_per_slot_us[i] / 1000);
  if (slow_slots > 12)
    stalls += " ...";
  fmt::print("  100 ms slots with an answer slower than 20 ms: {} of {}{}{}\n", slow_slots,
             all.worst_per_slot_us.size(), slow_slots ? " (time into the window: worst)" : "",
             stalls);
  fmt::print("  acknowledged {} / in database {} / failed {}\n", all.acknowledged, stored,
             all.failures);
  if (static_cast<long long>(all.acknowledged) > stored) {
    fmt::print(stderr, "ERROR: acknowledged events are missing from the database\n");
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bench_writer: {}\n", e.what());
  return 2;
}
