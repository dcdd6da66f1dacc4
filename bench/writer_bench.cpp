// Pushes heartbeat events through the writer from many sender actors, each keeping a fixed
// number of requests outstanding, and prints throughput and latency. Run by
// scripts/bench-writer.sh; see docs/benchmarks.md.

#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "persistence/application_store.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <latch>
#include <mutex>
#include <string>

using namespace hb;
using namespace std::chrono;

namespace {

struct options {
  std::string database;
  int senders = 64;
  int inflight = 16;
  int seconds = 5;
  int apps = 1000;
  std::size_t max_batch = 1000;
  long max_delay_us = 0;
  std::size_t threads = 2;
  std::size_t connections = 1;
  long flush_ms = 1000;
};

struct results {
  std::mutex mutex;
  std::vector<std::int64_t> latencies_us;
  std::uint64_t failures = 0;
};

struct sender_state {
  std::vector<std::int64_t> latencies_us;
  std::uint64_t failures = 0;
  int outstanding = 0;
  std::size_t next_app = 0;
};

// `app_ids` by pointer: the lambdas below capture by value, once per request.
void send_one(caf::stateful_actor<sender_state>* self, const writer_actor& writer,
              const std::vector<std::int64_t>* app_ids, steady_clock::time_point deadline,
              const std::shared_ptr<results>& out, std::latch* done);

void finish_if_done(caf::stateful_actor<sender_state>* self, const std::shared_ptr<results>& out,
                    std::latch* done) {
  if (self->state.outstanding > 0)
    return;
  {
    std::lock_guard guard{out->mutex};
    out->latencies_us.insert(out->latencies_us.end(), self->state.latencies_us.begin(),
                             self->state.latencies_us.end());
    out->failures += self->state.failures;
  }
  done->count_down();
  self->quit();
}

void send_one(caf::stateful_actor<sender_state>* self, const writer_actor& writer,
              const std::vector<std::int64_t>* app_ids, steady_clock::time_point deadline,
              const std::shared_ptr<results>& out, std::latch* done) {
  auto& st = self->state;
  const auto app = (*app_ids)[st.next_app++ % app_ids->size()];
  const auto sent = steady_clock::now();
  ++st.outstanding;
  auto on_answer = [=](bool ok) {
    auto& s = self->state;
    --s.outstanding;
    if (ok)
      s.latencies_us.push_back(duration_cast<microseconds>(steady_clock::now() - sent).count());
    else
      ++s.failures;
    if (steady_clock::now() < deadline)
      send_one(self, writer, app_ids, deadline, out, done);
    else
      finish_if_done(self, out, done);
  };
  self->request(writer, caf::infinite, record_atom::value,
                heartbeat_event{app, system_now(), "127.0.0.1"})
      .then([=](ok_atom) { on_answer(true); }, [=](caf::error&) { on_answer(false); });
}

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

std::string bucket_percentile(const writer_metrics& m, double p) {
  std::uint64_t total = 0;
  for (const auto& b : m.latency_buckets)
    total += b.load();
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < m.latency_buckets.size(); ++i) {
    seen += m.latency_buckets[i].load();
    if (static_cast<double>(seen) >= p * static_cast<double>(total))
      return i < m.latency_bounds_us.size()
                 ? fmt::format("<= {:.1f} ms", m.latency_bounds_us[i] / 1000.0)
                 : std::string{"> 1000 ms"};
  }
  return "n/a";
}

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
    else if (k == "--flush-ms")
      o.flush_ms = std::stol(v);
    else if (k == "--threads")
      o.threads = std::stoul(v);
    else
      throw std::invalid_argument("unknown option " + k);
  }
  if (o.database.empty())
    throw std::invalid_argument("usage: bench_writer --database URL [--senders N] [--inflight K] "
                                "[--seconds S] [--apps A] [--max-batch B] [--max-delay-us D]");
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
  wo.last_heartbeat_flush = milliseconds{o.flush_ms};
  wo.log = std::make_shared<const logger>(log_level::warn);
  auto writer = spawn_writer(sys, wo);

  auto out = std::make_shared<results>();
  std::latch done{o.senders};
  const auto started = steady_clock::now();
  const auto deadline = started + seconds{o.seconds};
  for (int i = 0; i < o.senders; ++i) {
    sys.spawn([&, i](caf::stateful_actor<sender_state>* self) {
      self->state.next_app = static_cast<std::size_t>(i) * 7919;
      for (int k = 0; k < o.inflight; ++k)
        send_one(self, writer, &app_ids, deadline, out, &done);
    });
  }
  done.wait();
  const double elapsed = duration<double>(steady_clock::now() - started).count();
  caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);

  auto& lat = out->latencies_us;
  std::sort(lat.begin(), lat.end());
  const auto& m = *wo.metrics;
  long long stored = 0;
  {
    auto s = open_session(url);
    *s << "SELECT COUNT(*) FROM heartbeat_events", soci::into(stored);
  }
  fmt::print("backend={} senders={} inflight_per_sender={} apps={} max_batch={} "
             "max_delay_us={} connections={} flush_ms={} seconds={:.1f}\n",
             url.backend == db_backend::sqlite3 ? "sqlite3" : "postgresql", o.senders, o.inflight,
             o.apps, o.max_batch, o.max_delay_us,
             url.backend == db_backend::sqlite3 ? std::size_t{1} : o.connections, o.flush_ms,
             elapsed);
  fmt::print("  durable events/s:      {:.0f}\n", static_cast<double>(lat.size()) / elapsed);
  fmt::print("  ack latency (send -> committed reply): p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} "
             "ms\n",
             percentile(lat, 0.50) / 1000.0, percentile(lat, 0.99) / 1000.0,
             lat.empty() ? 0.0 : lat.back() / 1000.0);
  fmt::print("  transactions: {}, mean batch {:.0f} events, commit time p50 {}, p99 {}\n",
             m.batches.load(),
             m.batches.load() ? static_cast<double>(m.items.load()) / m.batches.load() : 0.0,
             bucket_percentile(m, 0.50), bucket_percentile(m, 0.99));
  fmt::print("  acknowledged {} / in database {} / failed {}\n", lat.size(), stored, out->failures);
  if (static_cast<long long>(lat.size()) > stored) {
    fmt::print(stderr, "ERROR: acknowledged events are missing from the database\n");
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bench_writer: {}\n", e.what());
  return 2;
}
