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

std::vector<heartbeat_bucket> heartbeat_buckets_since(soci::session& session, db_backend backend,
                                                      std::int64_t application_id, timestamp since,
                                                      std::chrono::microseconds width) {
  long long app = application_id, from = to_micros(since), from_again = from;
  long long slice = std::max<long long>(1, width.count()), index = 0, count = 0;
  // The index (application_id, received_at DESC) finds the rows; the grouping happens on the
  // database, so an application beating every second sends back ~1,000 rows, not 86,400.
  soci::statement st =
      (session.prepare << fmt::format("SELECT ({} - :origin) / :width AS slice, COUNT(*) "
                                      "FROM heartbeat_events WHERE application_id = :app "
                                      "AND received_at >= {} GROUP BY slice ORDER BY slice",
                                      sql_read_time(backend, "received_at"),
                                      sql_write_time(backend, ":since")),
       soci::into(index), soci::into(count), soci::use(from, "origin"), soci::use(slice, "width"),
       soci::use(app, "app"), soci::use(from_again, "since"));
  st.execute();
  std::vector<heartbeat_bucket> buckets;
  while (st.fetch())
    buckets.push_back({index, count});
  return buckets;
}

} // namespace hb
