#include "persistence/batch_writer.hpp"

#include "model/alert_rules.hpp"

#include "persistence/application_store.hpp"
#include "persistence/pg_array.hpp"
#include "persistence/write_transaction.hpp"

#include <soci/postgresql/soci-postgresql.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>

namespace hb {

namespace {

// PostgreSQL: one statement per kind of row, each fed by arrays (STACK.md: unnest is ~5x faster
// than SOCI's per-row vector binds). Timestamps travel as microseconds since the epoch.
//
// The statements trust that every application id exists (the writer is the only writer, and
// deletes pass through it). When a status change names one that does not (it raced a delete),
// the foreign key of status_changes refuses the batch, and it is redone once with guarded
// one-off statements that skip such rows. The guard is not the default because its semi-join
// costs more than the insert itself. (heartbeat_events has no declared foreign key: see the
// migrations.)
constexpr const char* pg_insert_heartbeats = R"(
  INSERT INTO heartbeat_events (application_id, received_at, remote_addr)
  SELECT u.a, TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond', u.r
  FROM unnest(CAST(:a AS bigint[]), CAST(:t AS bigint[]), CAST(:r AS text[])) AS u(a, t, r))";

// The updates of applications rows repeat their ids as `id = ANY(...)`: joined to unnest alone,
// the planner scanned the whole table for each batch (2.8 ms of 6.5 for 100 rows among 10,000;
// it grows with the table), where the primary key finds the rows at once.
constexpr const char* pg_update_last_heartbeat = R"(
  UPDATE applications AS app
  SET last_heartbeat = GREATEST(app.last_heartbeat,
                                TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond')
  FROM unnest(CAST(:a AS bigint[]), CAST(:t AS bigint[])) AS u(a, t)
  WHERE app.id = u.a AND app.id = ANY(CAST(:a2 AS bigint[])))";

// Status changes and their notifications (the outbox) in one statement: each change that
// alerts (kind k not empty, model/alert_rules.hpp) queues one notification per enabled alert
// config of its application, in the same transaction as the change itself. The unique key
// (status_change_id, alert_config_id) makes a second notification of one change impossible.
constexpr const char* pg_insert_status_changes_head = R"(
  WITH u AS (
    SELECT u.a, u.f, u.s, TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond' AS ts, u.k
    FROM unnest(CAST(:a AS bigint[]), CAST(:f AS text[]), CAST(:s AS text[]),
                CAST(:t AS bigint[]), CAST(:k AS text[])) AS u(a, f, s, t, k))";
constexpr const char* pg_insert_status_changes_tail = R"(),
  changes AS (
    INSERT INTO status_changes (application_id, from_status, to_status, changed_at)
    SELECT a, f, s, ts FROM u
    ON CONFLICT (application_id, changed_at, to_status) DO NOTHING
    RETURNING id, application_id, from_status, to_status, changed_at)
  INSERT INTO notifications (application_id, alert_config_id, status_change_id, kind,
                             next_attempt_at)
  SELECT DISTINCT c.application_id, ac.id, c.id, u.k, c.changed_at
  FROM changes AS c
  JOIN u ON u.a = c.application_id AND u.ts = c.changed_at AND u.f = c.from_status
            AND u.s = c.to_status AND u.k <> ''
  JOIN alert_configs AS ac ON ac.application_id = c.application_id AND ac.enabled
  ON CONFLICT DO NOTHING)";

constexpr const char* pg_only_existing = R"(
    WHERE EXISTS (SELECT 1 FROM applications WHERE id = u.a))";

std::string pg_insert_status_changes(bool only_existing) {
  return std::string{pg_insert_status_changes_head} + (only_existing ? pg_only_existing : "") +
         pg_insert_status_changes_tail;
}

// Several changes of one application in a batch: the last one (highest ordinality) wins.
constexpr const char* pg_update_status = R"(
  UPDATE applications AS app
  SET status = u.s, status_changed_at = TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond'
  FROM (SELECT DISTINCT ON (a) a, s, t
        FROM unnest(CAST(:a AS bigint[]), CAST(:s AS text[]), CAST(:t AS bigint[]))
             WITH ORDINALITY AS x(a, s, t, n)
        ORDER BY a, n DESC) AS u
  WHERE app.id = u.a AND app.id = ANY(CAST(:a2 AS bigint[]))
    AND u.s <> 'paused')"; // paused is is_active's business: keep the latched status

constexpr const char* pg_foreign_key_violation = "23503";

constexpr const char* sqlite_insert_heartbeat = R"(
  INSERT INTO heartbeat_events (application_id, received_at, remote_addr)
  SELECT :a, :t, :r WHERE EXISTS (SELECT 1 FROM applications WHERE id = :a2))";

constexpr const char* sqlite_update_last_heartbeat =
    "UPDATE applications SET last_heartbeat = MAX(COALESCE(last_heartbeat, 0), :t) WHERE id = :a";

// A change recorded already (a retried commit whose first answer was lost) is not recorded
// again, and so queues no second notification (status_changes_once).
constexpr const char* sqlite_insert_status_change = R"(
  INSERT INTO status_changes (application_id, from_status, to_status, changed_at)
  SELECT :a, :f, :s, :t WHERE EXISTS (SELECT 1 FROM applications WHERE id = :a2)
  ON CONFLICT (application_id, changed_at, to_status) DO NOTHING)";

// The outbox (see pg_insert_status_changes_head), right after the change it belongs to. The
// change's id is bound, not read with last_insert_rowid() in the statement: that moves with
// every notification row the statement inserts.
constexpr const char* sqlite_insert_notifications = R"(
  INSERT INTO notifications (application_id, alert_config_id, status_change_id, kind,
                             next_attempt_at)
  SELECT ac.application_id, ac.id, :c, :k, :t
  FROM alert_configs AS ac
  WHERE ac.application_id = :a AND ac.enabled = 1
  ON CONFLICT DO NOTHING)";

constexpr const char* sqlite_update_status =
    "UPDATE applications SET status = :s, status_changed_at = :t WHERE id = :a AND :s2 <> 'paused'";

} // namespace

struct batch_writer::statements {
  virtual ~statements() = default;
  /// Writes the batch inside the caller's transaction.
  virtual void write(const write_batch& batch) = 0;
};

namespace {

/// The notification a change sends, as stored in notifications.kind; empty for none.
std::string_view alert_kind_text(const status_change& c) {
  const auto kind = alert_for(c.from, c.to);
  return kind ? alerts::to_string(*kind) : std::string_view{};
}

/// Positions of `events` in the order of heartbeat_events' primary key. Inserted in that order,
/// consecutive index insertions descend to neighbouring pages that are still in the CPU cache:
/// 5-18% more rows per second, measured batch by batch against unsorted inserts.
void in_key_order(const std::vector<heartbeat_event>& events, std::vector<std::size_t>& order) {
  order.resize(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&events](std::size_t x, std::size_t y) {
    return std::tie(events[x].application_id, events[x].received_at) <
           std::tie(events[y].application_id, events[y].received_at);
  });
}

/// The batch as PostgreSQL array literals, bound by reference to the prepared statements.
struct pg_arrays {
  std::string hb_app, hb_time, hb_addr;
  std::string last_app, last_time;
  std::string ch_app, ch_from, ch_to, ch_time, ch_kind;
  std::vector<std::size_t> hb_order; ///< heartbeats in index key order

  void fill(const write_batch& batch) {
    pg_array_builder a, t, r;
    in_key_order(batch.heartbeats, hb_order);
    for (const auto i : hb_order) {
      const auto& e = batch.heartbeats[i];
      a.add(e.application_id);
      t.add(to_micros(e.received_at));
      r.add(e.remote_addr);
    }
    hb_app = a.finish(), hb_time = t.finish(), hb_addr = r.finish();
    pg_array_builder la, lt;
    for (const auto& [id, at] : batch.last_heartbeats) {
      la.add(id);
      lt.add(to_micros(at));
    }
    last_app = la.finish(), last_time = lt.finish();
    pg_array_builder ca, cf, cs, ct, ck;
    for (const auto& c : batch.status_changes) {
      ca.add(c.application_id);
      cf.add(to_string(c.from));
      cs.add(to_string(c.to));
      ct.add(to_micros(c.at));
      ck.add(alert_kind_text(c));
    }
    ch_app = ca.finish(), ch_from = cf.finish(), ch_to = cs.finish(), ch_time = ct.finish();
    ch_kind = ck.finish();
  }
};

class pg_statements final : public batch_writer::statements {
public:
  explicit pg_statements(soci::session& s)
      : session_{s}, insert_heartbeats_{(s.prepare << pg_insert_heartbeats,
                                         soci::use(v_.hb_app, "a"), soci::use(v_.hb_time, "t"),
                                         soci::use(v_.hb_addr, "r"))},
        update_last_{(s.prepare << pg_update_last_heartbeat, soci::use(v_.last_app, "a"),
                      soci::use(v_.last_time, "t"), soci::use(v_.last_app, "a2"))},
        insert_changes_{(s.prepare << pg_insert_status_changes(false), soci::use(v_.ch_app, "a"),
                         soci::use(v_.ch_from, "f"), soci::use(v_.ch_to, "s"),
                         soci::use(v_.ch_time, "t"), soci::use(v_.ch_kind, "k"))},
        update_status_{(s.prepare << pg_update_status, soci::use(v_.ch_app, "a"),
                        soci::use(v_.ch_to, "s"), soci::use(v_.ch_time, "t"),
                        soci::use(v_.ch_app, "a2"))} {}

  void write(const write_batch& batch) override {
    v_.fill(batch);
    if (!batch.heartbeats.empty())
      insert_heartbeats_.execute(true);
    if (!batch.last_heartbeats.empty())
      update_last_.execute(true);
    if (!batch.status_changes.empty()) {
      insert_changes_.execute(true);
      update_status_.execute(true);
    }
  }

  /// The rare path: the same writes, skipping rows of applications that no longer exist.
  void write_guarded(const write_batch& batch) {
    v_.fill(batch);
    if (!batch.heartbeats.empty())
      session_ << std::string{pg_insert_heartbeats} + pg_only_existing, soci::use(v_.hb_app, "a"),
          soci::use(v_.hb_time, "t"), soci::use(v_.hb_addr, "r");
    if (!batch.last_heartbeats.empty())
      update_last_.execute(true); // an UPDATE of a missing row changes nothing
    if (!batch.status_changes.empty()) {
      session_ << pg_insert_status_changes(true), soci::use(v_.ch_app, "a"),
          soci::use(v_.ch_from, "f"), soci::use(v_.ch_to, "s"), soci::use(v_.ch_time, "t"),
          soci::use(v_.ch_kind, "k");
      update_status_.execute(true);
    }
  }

private:
  soci::session& session_;
  pg_arrays v_; // declared before the statements that bind it
  soci::statement insert_heartbeats_;
  soci::statement update_last_;
  soci::statement insert_changes_;
  soci::statement update_status_;
};

class sqlite_statements final : public batch_writer::statements {
public:
  explicit sqlite_statements(soci::session& s)
      : insert_heartbeat_{(s.prepare << sqlite_insert_heartbeat, soci::use(id_, "a"),
                           soci::use(at_, "t"), soci::use(addr_, "r"), soci::use(id_, "a2"))},
        update_last_{
            (s.prepare << sqlite_update_last_heartbeat, soci::use(at_, "t"), soci::use(id_, "a"))},
        insert_change_{(s.prepare << sqlite_insert_status_change, soci::use(id_, "a"),
                        soci::use(from_, "f"), soci::use(to_, "s"), soci::use(at_, "t"),
                        soci::use(id_, "a2"))},
        last_id_{(s.prepare << "SELECT last_insert_rowid()", soci::into(change_id_))},
        insert_notifications_{(s.prepare << sqlite_insert_notifications, soci::use(change_id_, "c"),
                               soci::use(kind_, "k"), soci::use(at_, "t"), soci::use(id_, "a"))},
        update_status_{(s.prepare << sqlite_update_status, soci::use(to_, "s"), soci::use(at_, "t"),
                        soci::use(id_, "a"), soci::use(to_, "s2"))} {}

  void write(const write_batch& batch) override {
    for (const auto& e : batch.heartbeats) {
      id_ = e.application_id;
      at_ = to_micros(e.received_at);
      addr_ = e.remote_addr;
      insert_heartbeat_.execute(true);
    }
    for (const auto& [app, newest] : batch.last_heartbeats) {
      id_ = app;
      at_ = to_micros(newest);
      update_last_.execute(true);
    }
    for (const auto& c : batch.status_changes) {
      id_ = c.application_id;
      from_ = std::string{to_string(c.from)};
      to_ = std::string{to_string(c.to)};
      at_ = to_micros(c.at);
      insert_change_.execute(true);
      kind_ = std::string{alert_kind_text(c)};
      if (!kind_.empty() && insert_change_.get_affected_rows() == 1) {
        last_id_.execute(true);
        insert_notifications_.execute(true);
      }
      update_status_.execute(true);
    }
  }

private:
  long long id_ = 0, at_ = 0, change_id_ = 0; // declared before the statements that bind them
  std::string addr_, from_, to_, kind_;
  soci::statement insert_heartbeat_;
  soci::statement update_last_;
  soci::statement insert_change_;
  soci::statement last_id_;
  soci::statement insert_notifications_;
  soci::statement update_status_;
};

} // namespace

batch_writer::batch_writer(soci::session& session, db_backend backend)
    : session_{session}, backend_{backend} {
  if (backend == db_backend::postgresql)
    prepared_ = std::make_unique<pg_statements>(session);
  else
    prepared_ = std::make_unique<sqlite_statements>(session);
}

batch_writer::~batch_writer() = default;

namespace {

application_op_result apply_op(soci::session& s, db_backend backend, const application_op& op) {
  if (const auto* c = std::get_if<application_create>(&op))
    return insert_application(s, backend, c->spec, c->uuid, c->at);
  if (const auto* u = std::get_if<application_update>(&op))
    return update_application(s, backend, u->id, u->patch, u->at);
  return delete_application(s, backend, std::get<application_delete>(op).id);
}

} // namespace

std::vector<application_op_result> batch_writer::persist(const write_batch& batch) {
  std::vector<application_op_result> results;
  auto write_all = [&](auto&& write_rows) {
    results.clear();
    write_transaction tx{session_, backend_};
    write_rows();
    for (const auto& op : batch.application_ops)
      results.push_back(apply_op(session_, backend_, op));
    tx.commit();
  };
  try {
    const bool one_statement = batch.status_changes.empty() && batch.last_heartbeats.empty() &&
                               batch.application_ops.empty();
    if (backend_ == db_backend::postgresql && one_statement) {
      // The common batch, history rows only, is one INSERT: on its own it is a transaction,
      // and one round trip instead of three (BEGIN, INSERT, COMMIT).
      prepared_->write(batch);
      return results;
    }
    write_all([&] { prepared_->write(batch); });
  } catch (const soci::postgresql_soci_error& e) {
    if (e.sqlstate() != pg_foreign_key_violation)
      throw;
    write_all([&] { static_cast<pg_statements&>(*prepared_).write_guarded(batch); });
  }
  return results;
}

std::vector<application_op_result> persist_batch(soci::session& session, db_backend backend,
                                                 const write_batch& batch) {
  return batch_writer{session, backend}.persist(batch);
}

} // namespace hb
