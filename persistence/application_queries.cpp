#include "persistence/application_queries.hpp"

#include "persistence/sql_time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace hb {

std::string to_string(const history_cursor& c) {
  return fmt::format("{}_{}", to_micros(c.received_at), c.id);
}

std::optional<history_cursor> parse_history_cursor(const std::string& text) {
  const auto sep = text.find('_');
  if (sep == std::string::npos)
    return std::nullopt;
  long long at = 0, id = 0;
  const char* end = text.data() + text.size();
  auto a = std::from_chars(text.data(), text.data() + sep, at);
  auto b = std::from_chars(text.data() + sep + 1, end, id);
  if (a.ec != std::errc{} || a.ptr != text.data() + sep || b.ec != std::errc{} || b.ptr != end)
    return std::nullopt;
  // Within what both backends store (years 1970 to 9999): larger values overflow timestamptz.
  constexpr long long max_micros = 253'402'300'799'999'999;
  if (at < 0 || at > max_micros || id < 0)
    return std::nullopt;
  return history_cursor{from_micros(at), id};
}

std::vector<heartbeat_row> heartbeat_history(soci::session& session, db_backend backend,
                                             std::int64_t application_id, std::size_t limit,
                                             const std::optional<history_cursor>& before) {
  long long app = application_id, row_id = 0, row_at = 0;
  long long cursor_at = before ? to_micros(before->received_at) : 0;
  long long cursor_id = before ? before->id : 0;
  long long max_rows = static_cast<long long>(limit);
  std::string addr;
  // The primary key (application_id, received_at, id) serves this backwards, row by row.
  const auto sql = fmt::format(
      "SELECT id, {0}, remote_addr FROM heartbeat_events WHERE application_id = :app {1} "
      "ORDER BY received_at DESC, id DESC LIMIT :n",
      sql_read_time(backend, "received_at"),
      before ? fmt::format("AND (received_at < {0} OR (received_at = {0} AND id < :cid))",
                           sql_write_time(backend, ":cat"))
             : std::string{});
  soci::statement st{session};
  st.exchange(soci::into(row_id));
  st.exchange(soci::into(row_at));
  st.exchange(soci::into(addr));
  st.exchange(soci::use(app, "app"));
  if (before) {
    st.exchange(soci::use(cursor_at, "cat"));
    st.exchange(soci::use(cursor_id, "cid"));
  }
  st.exchange(soci::use(max_rows, "n"));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute();
  std::vector<heartbeat_row> rows;
  while (st.fetch())
    rows.push_back({row_id, from_micros(row_at), addr});
  return rows;
}

} // namespace hb
