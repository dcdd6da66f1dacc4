#include "persistence/history_queries.hpp"

#include "persistence/sql_time.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hb {

std::vector<status_change_row> status_change_history(soci::session& session, db_backend backend,
                                                     std::int64_t application_id,
                                                     std::size_t limit) {
  long long app = application_id, at = 0, max_rows = static_cast<long long>(limit);
  std::string from, to;
  // status_changes_latest (application_id, id DESC) serves this; ids grow with time.
  soci::statement st =
      (session.prepare << fmt::format("SELECT from_status, to_status, {} FROM status_changes "
                                      "WHERE application_id = :app ORDER BY id DESC LIMIT :n",
                                      sql_read_time(backend, "changed_at")),
       soci::into(from), soci::into(to), soci::into(at), soci::use(app, "app"),
       soci::use(max_rows, "n"));
  st.execute();
  std::vector<status_change_row> rows;
  while (st.fetch())
    rows.push_back({from, to, from_micros(at)});
  return rows;
}

std::vector<timestamp> heartbeat_times_since(soci::session& session, db_backend backend,
                                             std::int64_t application_id, timestamp since,
                                             std::size_t limit) {
  long long app = application_id, at = 0, from = to_micros(since);
  long long max_rows = static_cast<long long>(limit);
  // Newest first, so that the index (application_id, received_at DESC) stops after `limit`.
  soci::statement st =
      (session.prepare << fmt::format("SELECT {} FROM heartbeat_events WHERE application_id = "
                                      ":app AND received_at >= {} ORDER BY received_at DESC "
                                      "LIMIT :n",
                                      sql_read_time(backend, "received_at"),
                                      sql_write_time(backend, ":since")),
       soci::into(at), soci::use(app, "app"), soci::use(from, "since"), soci::use(max_rows, "n"));
  st.execute();
  std::vector<timestamp> times;
  while (st.fetch())
    times.push_back(from_micros(at));
  std::reverse(times.begin(), times.end());
  return times;
}

} // namespace hb
