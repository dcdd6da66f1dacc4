#include "persistence/monitor_queries.hpp"

#include "persistence/application_store.hpp"
#include "persistence/pg_array.hpp"
#include "persistence/sql_time.hpp"

#include <fmt/format.h>

namespace hb {

std::vector<std::string> overdue_candidates(soci::session& session, db_backend backend,
                                            timestamp now) {
  // Seconds to microseconds on both backends, in BIGINT (INTEGER * 1000000 overflows). The stored
  // last_heartbeat lags (the writer stores it lazily): it selects cheaply, and the exact value
  // (one index probe, only for those) confirms.
  const auto sql = fmt::format(
      "SELECT CAST(uuid AS TEXT) FROM applications WHERE is_active = (1 = 1) AND status = 'up' "
      "AND last_heartbeat IS NOT NULL "
      "AND {0} + CAST(expected_interval + grace_period AS BIGINT) * 1000000 <= :now "
      "AND {1} + CAST(expected_interval + grace_period AS BIGINT) * 1000000 <= :now2",
      sql_read_time(backend, "last_heartbeat"), sql_last_heartbeat(backend));
  long long at = to_micros(now);
  std::string uuid;
  std::vector<std::string> out;
  soci::statement st =
      (session.prepare << sql, soci::use(at, "now"), soci::use(at, "now2"), soci::into(uuid));
  st.execute();
  while (st.fetch())
    out.push_back(uuid);
  return out;
}

namespace {

// Keeps the newest `keep` rows of each application: deletes the one at position keep+1 and
// everything older. PostgreSQL takes a batch in one statement: a round trip per application
// cost more than the probe itself (most applications have nothing to prune), and a sweep now
// goes through batch after batch.
constexpr const char* pg_prune = R"(
  DELETE FROM heartbeat_events AS h
  USING (SELECT a.id AS app, cut.received_at, cut.id
         FROM unnest(CAST(:apps AS bigint[])) AS a(id)
         CROSS JOIN LATERAL (
           SELECT received_at, id FROM heartbeat_events
           WHERE application_id = a.id
           ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET :keep) AS cut) AS c
  WHERE h.application_id = c.app AND (h.received_at, h.id) <= (c.received_at, c.id))";

// SQLite runs in the process: a statement per application costs no round trip. Each commits on
// its own, as SQLite has one write lock for the whole file: a batch in one transaction would
// hold the writer's heartbeats back for all of it.
constexpr const char* sqlite_prune = R"(
  DELETE FROM heartbeat_events WHERE application_id = :app AND (received_at, id) <= (
    SELECT received_at, id FROM heartbeat_events WHERE application_id = :app2
    ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET :keep))";

} // namespace

prune_progress prune_history(soci::session& session, db_backend backend, std::size_t keep,
                             std::int64_t after_id, std::size_t batch) {
  prune_progress progress;
  std::vector<long long> ids;
  {
    long long after = after_id, limit = static_cast<long long>(batch), id = 0;
    soci::statement st = (session.prepare << "SELECT id FROM applications WHERE id > :after "
                                             "ORDER BY id LIMIT :n",
                          soci::use(after, "after"), soci::use(limit, "n"), soci::into(id));
    st.execute();
    while (st.fetch())
      ids.push_back(id);
  }
  long long offset = static_cast<long long>(keep);
  if (!ids.empty() && backend == db_backend::postgresql) {
    pg_array_builder apps;
    for (auto id : ids)
      apps.add(id);
    auto list = apps.finish();
    soci::transaction tx{session};
    soci::statement del =
        (session.prepare << pg_prune, soci::use(list, "apps"), soci::use(offset, "keep"));
    del.execute(true);
    progress.deleted += del.get_affected_rows();
    tx.commit();
  } else if (!ids.empty()) {
    long long app = 0;
    soci::statement del = (session.prepare << sqlite_prune, soci::use(app, "app"),
                           soci::use(app, "app2"), soci::use(offset, "keep"));
    for (auto id : ids) {
      app = id;
      del.execute(true);
      progress.deleted += del.get_affected_rows();
    }
  }
  progress.applications = ids.size();
  progress.last_id = ids.size() < batch ? 0 : ids.back();
  return progress;
}

} // namespace hb
