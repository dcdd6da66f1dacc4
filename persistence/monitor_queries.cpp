#include "persistence/monitor_queries.hpp"

#include "persistence/application_store.hpp"
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

prune_progress prune_history(soci::session& session, db_backend, std::size_t keep,
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
  long long app = 0, offset = static_cast<long long>(keep);
  // Keeps the newest `keep` rows: deletes the one at position keep+1 and everything older.
  soci::statement del = (session.prepare << R"(
      DELETE FROM heartbeat_events WHERE application_id = :app AND (received_at, id) <= (
        SELECT received_at, id FROM heartbeat_events WHERE application_id = :app2
        ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET :keep))",
                         soci::use(app, "app"), soci::use(app, "app2"), soci::use(offset, "keep"));
  for (auto id : ids) {
    app = id;
    soci::transaction tx{session};
    del.execute(true);
    progress.deleted += del.get_affected_rows();
    tx.commit();
  }
  progress.applications = ids.size();
  progress.last_id = ids.size() < batch ? 0 : ids.back();
  return progress;
}

} // namespace hb
