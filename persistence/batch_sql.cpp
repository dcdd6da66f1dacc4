#include "persistence/batch_sql.hpp"

#include "persistence/pg_array.hpp"

#include <soci/postgresql/soci-postgresql.h>

#include <string>

namespace hb {

namespace {

// PostgreSQL: one statement per kind of row, each fed by arrays (STACK.md: unnest is ~5x faster
// than SOCI's per-row vector binds). Timestamps travel as microseconds since the epoch. Rows are
// inserted in array order, so ids follow arrival order, which history pages rely on.
//
// The fast statements trust that every application id exists (the writer is the only writer,
// and deletes pass through it). When one does not (a heartbeat raced a delete), the foreign key
// refuses the batch and it is redone once with the guarded statements, which skip such rows;
// the guard is not the default because its semi-join costs more than the insert itself.
constexpr const char* pg_heartbeat_rows = R"(
  FROM unnest(CAST(:a AS bigint[]), CAST(:t AS bigint[]), CAST(:r AS text[])) AS u(a, t, r))";

constexpr const char* pg_insert_heartbeats = R"(
  INSERT INTO heartbeat_events (application_id, received_at, remote_addr)
  SELECT u.a, TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond', u.r)";

constexpr const char* pg_only_existing = R"(
  WHERE EXISTS (SELECT 1 FROM applications WHERE id = u.a))";

constexpr const char* pg_update_last_heartbeat = R"(
  UPDATE applications AS app
  SET last_heartbeat = GREATEST(app.last_heartbeat,
                                TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond')
  FROM unnest(CAST(:a AS bigint[]), CAST(:t AS bigint[])) AS u(a, t)
  WHERE app.id = u.a)";

constexpr const char* pg_insert_status_changes = R"(
  INSERT INTO status_changes (application_id, from_status, to_status, changed_at)
  SELECT u.a, u.f, u.s, TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond'
  FROM unnest(CAST(:a AS bigint[]), CAST(:f AS text[]), CAST(:s AS text[]),
              CAST(:t AS bigint[])) AS u(a, f, s, t))";

// Several changes of one application in a batch: the last one (highest ordinality) wins.
constexpr const char* pg_update_status = R"(
  UPDATE applications AS app
  SET status = u.s, status_changed_at = TIMESTAMPTZ 'epoch' + u.t * INTERVAL '1 microsecond'
  FROM (SELECT DISTINCT ON (a) a, s, t
        FROM unnest(CAST(:a AS bigint[]), CAST(:s AS text[]), CAST(:t AS bigint[]))
             WITH ORDINALITY AS x(a, s, t, n)
        ORDER BY a, n DESC) AS u
  WHERE app.id = u.a)";

constexpr const char* pg_foreign_key_violation = "23503";

constexpr const char* sqlite_insert_heartbeat = R"(
  INSERT INTO heartbeat_events (application_id, received_at, remote_addr)
  SELECT :a, :t, :r WHERE EXISTS (SELECT 1 FROM applications WHERE id = :a2))";

constexpr const char* sqlite_update_last_heartbeat =
  "UPDATE applications SET last_heartbeat = MAX(COALESCE(last_heartbeat, 0), :t) WHERE id = :a";

constexpr const char* sqlite_insert_status_change = R"(
  INSERT INTO status_changes (application_id, from_status, to_status, changed_at)
  SELECT :a, :f, :s, :t WHERE EXISTS (SELECT 1 FROM applications WHERE id = :a2))";

constexpr const char* sqlite_update_status =
  "UPDATE applications SET status = :s, status_changed_at = :t WHERE id = :a";

void persist_postgresql(soci::session& session, const write_batch& batch, bool guarded) {
  const std::string guard = guarded ? pg_only_existing : "";
  if (!batch.heartbeats.empty()) {
    pg_array_builder ids, times, addrs;
    for (const auto& e : batch.heartbeats) {
      ids.add(e.application_id);
      times.add(to_micros(e.received_at));
      addrs.add(e.remote_addr);
    }
    std::string a = ids.finish(), t = times.finish(), r = addrs.finish();
    session << std::string{pg_insert_heartbeats} + pg_heartbeat_rows + guard, soci::use(a, "a"),
      soci::use(t, "t"), soci::use(r, "r");

    pg_array_builder app_ids, newest;
    for (const auto& [id, at] : newest_heartbeat_per_application(batch.heartbeats)) {
      app_ids.add(id);
      newest.add(to_micros(at));
    }
    std::string na = app_ids.finish(), nt = newest.finish();
    session << pg_update_last_heartbeat, soci::use(na, "a"), soci::use(nt, "t");
  }
  if (!batch.status_changes.empty()) {
    pg_array_builder ids, froms, tos, times;
    for (const auto& c : batch.status_changes) {
      ids.add(c.application_id);
      froms.add(to_string(c.from));
      tos.add(to_string(c.to));
      times.add(to_micros(c.at));
    }
    std::string a = ids.finish(), f = froms.finish(), s = tos.finish(), t = times.finish();
    session << pg_insert_status_changes + guard, soci::use(a, "a"), soci::use(f, "f"),
      soci::use(s, "s"), soci::use(t, "t");
    session << pg_update_status, soci::use(a, "a"), soci::use(s, "s"), soci::use(t, "t");
  }
}

void persist_sqlite(soci::session& session, const write_batch& batch) {
  long long id = 0, at = 0;
  std::string addr, from, to;
  if (!batch.heartbeats.empty()) {
    soci::statement insert = (session.prepare << sqlite_insert_heartbeat, soci::use(id, "a"),
                              soci::use(at, "t"), soci::use(addr, "r"), soci::use(id, "a2"));
    for (const auto& e : batch.heartbeats) {
      id = e.application_id;
      at = to_micros(e.received_at);
      addr = e.remote_addr;
      insert.execute(true);
    }
    soci::statement update =
      (session.prepare << sqlite_update_last_heartbeat, soci::use(at, "t"), soci::use(id, "a"));
    for (const auto& [app, newest] : newest_heartbeat_per_application(batch.heartbeats)) {
      id = app;
      at = to_micros(newest);
      update.execute(true);
    }
  }
  if (!batch.status_changes.empty()) {
    soci::statement insert =
      (session.prepare << sqlite_insert_status_change, soci::use(id, "a"), soci::use(from, "f"),
       soci::use(to, "s"), soci::use(at, "t"), soci::use(id, "a2"));
    soci::statement update = (session.prepare << sqlite_update_status, soci::use(to, "s"),
                              soci::use(at, "t"), soci::use(id, "a"));
    for (const auto& c : batch.status_changes) {
      id = c.application_id;
      from = std::string{to_string(c.from)};
      to = std::string{to_string(c.to)};
      at = to_micros(c.at);
      insert.execute(true);
      update.execute(true);
    }
  }
}

} // namespace

void persist_batch(soci::session& session, db_backend backend, const write_batch& batch) {
  if (backend == db_backend::sqlite3) {
    soci::transaction tx{session};
    persist_sqlite(session, batch);
    tx.commit();
    return;
  }
  try {
    soci::transaction tx{session};
    persist_postgresql(session, batch, /*guarded=*/false);
    tx.commit();
  } catch (const soci::postgresql_soci_error& e) {
    if (e.sqlstate() != pg_foreign_key_violation)
      throw;
    soci::transaction tx{session};
    persist_postgresql(session, batch, /*guarded=*/true);
    tx.commit();
  }
}

} // namespace hb
