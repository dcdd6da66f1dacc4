#include "support/test_database.hpp"
#include "support/writer_client.hpp"

#include "actors/writer.hpp"
#include "persistence/application_store.hpp"
#include "persistence/sql_time.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <numeric>
#include <random>

using namespace hb;
using namespace std::chrono_literals;
namespace bdata = boost::unit_test::data;

namespace {

struct writer_fixture {
  explicit writer_fixture(db_backend backend, std::chrono::microseconds max_delay = 2ms,
                          std::size_t max_batch = 1000,
                          std::chrono::microseconds last_heartbeat_flush = 1s,
                          std::size_t connections = 2,
                          std::size_t overflow_batch = writer_options{}.overflow_batch)
      : db{backend}, sys{cfg} {
    app = insert_application(db.session(), backend, {"app", 60, 0}, system_now());
    options.database = db.url();
    options.max_delay = max_delay;
    options.max_batch = max_batch;
    options.last_heartbeat_flush = last_heartbeat_flush;
    options.connections = connections; // two: the side-by-side path is the one to prove
    options.overflow_batch = overflow_batch;
    options.log = std::make_shared<const logger>(log_level::error);
    writer = spawn_writer(sys, options);
  }
  ~writer_fixture() { caf::anon_send_exit(writer, caf::exit_reason::user_shutdown); }

  heartbeat_event beat(timestamp t = system_now()) const { return {app.id, t, "127.0.0.1"}; }
  /// Sends `n` heartbeats at once and checks that each was acknowledged and stored.
  void record_all(int n) {
    std::vector<std::future<caf::error>> answers;
    for (int i = 0; i < n; ++i)
      answers.push_back(record_async(sys, writer, beat()));
    for (auto& a : answers)
      BOOST_TEST(!a.get());
    BOOST_TEST(stored() == n);
  }
  long long stored() { return count_heartbeats(db.session(), app.id); }
  /// applications.last_heartbeat as stored (not combined with history).
  std::optional<timestamp> stored_last_heartbeat() {
    long long id = app.id, value = 0;
    soci::indicator ind = soci::i_null;
    db.session() << "SELECT " + sql_read_time(db.backend(), "last_heartbeat") +
                        " FROM applications WHERE id = :id",
        soci::use(id), soci::into(value, ind);
    return ind == soci::i_ok ? std::optional{from_micros(value)} : std::nullopt;
  }

  test_database db;
  system_config cfg{2};
  caf::actor_system sys;
  application_record app;
  writer_options options;
  writer_actor writer;
};

// Holds the database's write lock for heartbeat_events from another session, so that the
// writer's commit has to wait for it.
void block_heartbeat_writes(test_database& db) {
  db.session().begin();
  if (db.backend() == db_backend::sqlite3)
    db.session() << "UPDATE server_secrets SET hash = hash"; // takes SQLite's write lock
  else
    db.session() << "LOCK TABLE heartbeat_events IN EXCLUSIVE MODE";
}

} // namespace

BOOST_AUTO_TEST_SUITE(writer)

BOOST_DATA_TEST_CASE(a_heartbeat_is_answered_only_after_it_is_committed, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend};
  block_heartbeat_writes(f.db);
  auto answer = record_async(f.sys, f.writer, f.beat());
  BOOST_TEST((answer.wait_for(400ms) == std::future_status::timeout)); // commit is blocked
  f.db.session().rollback();
  BOOST_TEST_REQUIRE((answer.wait_for(10s) == std::future_status::ready));
  BOOST_TEST(!answer.get());
  BOOST_TEST(f.stored() == 1);
}

BOOST_DATA_TEST_CASE(concurrent_heartbeats_share_few_transactions, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend, 50ms};
  f.record_all(500);
  const auto batches = f.options.metrics->batches.load();
  BOOST_TEST_MESSAGE("500 heartbeats committed in " << batches << " transactions");
  BOOST_TEST(batches <= 10u);
  BOOST_TEST(f.options.metrics->items.load() == 500u);
}

// A backlog of heartbeats commits in both sessions (batch_planner rule 7), and every one of them
// is stored; switched off, the status-change session never takes heartbeats.
BOOST_AUTO_TEST_CASE(a_backlog_of_heartbeats_commits_in_both_sessions) {
  for (const std::size_t overflow : {std::size_t{64}, std::size_t{0}}) {
    writer_fixture f{db_backend::postgresql, 0us, 100, 1s, 2, overflow};
    f.record_all(3000);
    const auto spilled = f.options.metrics->overflow_batches.load();
    BOOST_TEST_MESSAGE("overflow " << overflow << ": " << spilled << " of "
                                   << f.options.metrics->batches.load() << " batches spilled");
    if (overflow > 0)
      BOOST_TEST(spilled > 0u);
    else
      BOOST_TEST(spilled == 0u);
  }
}

BOOST_DATA_TEST_CASE(status_changes_commit_in_the_order_they_were_sent, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend, 0us};
  const std::array cycle{app_status::up, app_status::late, app_status::down, app_status::up};
  std::vector<std::string> sent;
  caf::scoped_actor self{f.sys};
  auto from = app_status::new_;
  const auto t = system_now();
  // One sender: CAF delivers its messages in order. Heartbeats in between keep the other
  // committer busy with batches of their own, side by side with the status changes.
  auto at = t; // each change at a time of its own, as real ones are (a repeat is not recorded)
  for (int round = 0; round < 25; ++round)
    for (auto to : cycle) {
      at += std::chrono::microseconds{1};
      self->send(f.writer, record_atom::value, status_change{f.app.id, from, to, at});
      self->send(f.writer, record_atom::value, f.beat());
      sent.emplace_back(to_string(to));
      from = to;
    }
  int acknowledged = 0;
  for (int i = 0; i < 200; ++i)
    self->receive([&](ok_atom) { ++acknowledged; },
                  [](caf::error& err) { BOOST_FAIL(error_text(err)); });
  BOOST_TEST(acknowledged == 200);
  std::vector<std::string> stored(200);
  f.db.session() << "SELECT to_status FROM status_changes ORDER BY id", soci::into(stored);
  BOOST_TEST(stored == sent, boost::test_tools::per_element());
  BOOST_TEST(query_count(f.db.session(), "SELECT COUNT(*) FROM heartbeat_events") == 100);
  BOOST_TEST((find_application(f.db.session(), backend, f.app.id)->status == app_status::up));
}

BOOST_DATA_TEST_CASE(a_batch_never_exceeds_the_size_bound, bdata::make(all_backends), backend) {
  writer_fixture f{backend, 200ms, 64};
  f.record_all(300);
  BOOST_TEST(f.options.metrics->batches.load() >= 5u); // ceil(300 / 64)
}

BOOST_DATA_TEST_CASE(coalescing_keeps_the_newest_last_heartbeat, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend, 100ms, 1000, 50ms};
  const auto base = system_now();
  std::vector<int> offsets(200);
  std::iota(offsets.begin(), offsets.end(), 0);
  std::shuffle(offsets.begin(), offsets.end(), std::mt19937{42});
  std::vector<std::future<caf::error>> answers;
  for (int offset : offsets)
    answers.push_back(record_async(f.sys, f.writer, f.beat(base + std::chrono::seconds{offset})));
  for (auto& a : answers)
    BOOST_TEST(!a.get());
  // Reads are exact at once; the stored column follows within the flush interval.
  auto app = find_application(f.db.session(), backend, f.app.id);
  BOOST_TEST((app->last_heartbeat == base + 199s));
  BOOST_TEST(f.options.metrics->batches.load() < 200u); // really coalesced inside batches
  for (int i = 0; i < 100 && f.stored_last_heartbeat() != base + 199s; ++i)
    std::this_thread::sleep_for(20ms);
  BOOST_TEST((f.stored_last_heartbeat() == base + 199s));
}

BOOST_DATA_TEST_CASE(stopping_stores_every_pending_last_heartbeat, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend, 2ms, 1000, 1h}; // the interval alone would never flush in time
  const auto t = system_now();
  BOOST_TEST(!record_async(f.sys, f.writer, f.beat(t)).get());
  BOOST_TEST(!record_async(f.sys, f.writer, f.beat(t - 5s)).get());
  caf::scoped_actor self{f.sys};
  self->monitor(f.writer);
  caf::anon_send_exit(f.writer, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {});
  BOOST_TEST((f.stored_last_heartbeat() == t));
}

BOOST_DATA_TEST_CASE(a_failed_transaction_answers_every_sender_with_an_error_and_commits_nothing,
                     bdata::make(all_backends), backend) {
  // One session: the heartbeats share the status change's transaction (with two, they commit
  // in a lane of their own, as the next test shows).
  writer_fixture f{backend, 300ms, 1000, 1s, 1};
  install_poison_trigger(f.db);
  std::vector<std::future<caf::error>> answers;
  for (int i = 0; i < 20; ++i)
    answers.push_back(record_async(f.sys, f.writer, f.beat()));
  answers.push_back(record_async(
      f.sys, f.writer, status_change{f.app.id, app_status::up, app_status::paused, system_now()}));
  for (auto& a : answers) {
    auto err = a.get();
    BOOST_TEST(static_cast<bool>(err));
    BOOST_TEST(error_text(err).find("poisoned") != std::string::npos, error_text(err));
  }
  BOOST_TEST(f.stored() == 0);
  BOOST_TEST(f.options.metrics->failed_items.load() == 21u);

  // The writer is still there and the next batch commits.
  BOOST_TEST(!record_async(f.sys, f.writer, f.beat()).get());
  BOOST_TEST(f.stored() == 1);
}

BOOST_AUTO_TEST_CASE(with_two_sessions_heartbeats_commit_beside_a_failing_status_change) {
  // PostgreSQL only: SQLite has one session, so one lane.
  writer_fixture f{db_backend::postgresql, 300ms};
  install_poison_trigger(f.db);
  std::vector<std::future<caf::error>> beats;
  for (int i = 0; i < 20; ++i)
    beats.push_back(record_async(f.sys, f.writer, f.beat()));
  auto change = record_async(
      f.sys, f.writer, status_change{f.app.id, app_status::up, app_status::paused, system_now()});
  for (auto& a : beats)
    BOOST_TEST(!a.get());
  auto err = change.get();
  BOOST_TEST(error_text(err).find("poisoned") != std::string::npos, error_text(err));
  BOOST_TEST(f.stored() == 20);
}

BOOST_DATA_TEST_CASE(a_status_change_is_committed_and_answered, bdata::make(all_backends),
                     backend) {
  writer_fixture f{backend};
  const auto t = system_now();
  BOOST_TEST(
      !record_async(f.sys, f.writer, status_change{f.app.id, app_status::new_, app_status::up, t})
           .get());
  auto app = find_application(f.db.session(), backend, f.app.id);
  BOOST_TEST((app->status == app_status::up));
  BOOST_TEST(query_count(f.db.session(), "SELECT COUNT(*) FROM status_changes") == 1);
}

BOOST_DATA_TEST_CASE(past_its_queue_limit_the_writer_refuses_at_once_and_loses_nothing_accepted,
                     bdata::make(all_backends), backend) {
  writer_fixture f{backend};
  auto options = f.options;
  options.max_queued = 10;
  options.connections = 1; // one batch in its commit, then the queue
  // The blocked commit must wait, not give up: SQLite's 5 s busy timeout could end it on a
  // slow (sanitizer) run before every request has arrived.
  if (auto& c = options.database.connect_string; c.find("timeout=5") != std::string::npos)
    c.replace(c.find("timeout=5"), 9, "timeout=60");
  options.metrics = std::make_shared<writer_metrics>();
  auto small = spawn_writer(f.sys, options);
  block_heartbeat_writes(f.db); // the first batch stays in its commit: the queue fills up
  std::vector<std::future<caf::error>> answers;
  for (int i = 0; i < 30; ++i) {
    answers.push_back(record_async(f.sys, small, f.beat()));
    std::this_thread::sleep_for(5ms); // in order: the first one is in flight before the rest
  }
  // Every request has to reach the writer before the database is let go (senders are actors
  // of their own, a slow machine may start the last ones late): wait for the refusals.
  auto answered = [&answers] {
    return std::count_if(answers.begin(), answers.end(),
                         [](auto& a) { return a.wait_for(0s) == std::future_status::ready; });
  };
  // 10 queued are accepted, plus the first batch in its commit: one heartbeat, or a few when
  // the machine let the next ones arrive before the writer formed it. The refusals come at
  // once; wait until they stop coming.
  for (int i = 0; i < 3000 && answered() < 15; ++i)
    std::this_thread::sleep_for(10ms);
  for (auto seen = answered();; seen = answered()) {
    std::this_thread::sleep_for(300ms);
    if (answered() == seen)
      break;
  }
  int refused = 0;
  for (auto& a : answers)
    if (a.wait_for(0s) == std::future_status::ready) {
      auto err = a.get();
      BOOST_TEST_REQUIRE(static_cast<bool>(err));
      BOOST_TEST(err.code() == static_cast<std::uint8_t>(errc::overloaded));
      ++refused;
    }
  BOOST_TEST(refused >= 15); // at most 10 queued + the batch in its commit are accepted
  f.db.session().rollback();
  caf::scoped_actor self{f.sys};
  self->monitor(small);
  caf::anon_send_exit(small, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {});
  BOOST_TEST(f.stored() == 30 - refused); // every accepted heartbeat, and no refused one
}

BOOST_DATA_TEST_CASE(stopping_commits_and_answers_everything_already_accepted,
                     bdata::make(all_backends), backend) {
  writer_fixture f{backend, 5s}; // nothing would be flushed by the window in time
  std::vector<std::future<caf::error>> answers;
  for (int i = 0; i < 10; ++i)
    answers.push_back(record_async(f.sys, f.writer, f.beat()));
  std::this_thread::sleep_for(100ms); // let them reach the writer's queue
  caf::anon_send_exit(f.writer, caf::exit_reason::user_shutdown);
  for (auto& a : answers) {
    BOOST_TEST_REQUIRE((a.wait_for(3s) == std::future_status::ready));
    BOOST_TEST(!a.get());
  }
  BOOST_TEST(f.stored() == 10);
}

BOOST_AUTO_TEST_SUITE_END()
