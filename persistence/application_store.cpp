#include "persistence/application_store.hpp"

#include "persistence/sql_time.hpp"
#include "util/uuid.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

std::string select_applications_sql(db_backend backend, std::string_view where) {
  return fmt::format("SELECT id, CAST(uuid AS TEXT), name, expected_interval, grace_period, "
                     "reminder_interval, {}, "
                     "status, CASE WHEN is_active THEN 1 ELSE 0 END, {}, {}, {}, {} "
                     "FROM applications {}",
                     sql_last_heartbeat(backend), sql_read_time(backend, "created_at"),
                     sql_read_time(backend, "updated_at"), sql_read_time(backend, "resumed_at"),
                     sql_read_time(backend, "status_changed_at"), where);
}

/// The columns of select_applications_sql, bound once for a statement's rows.
struct application_row {
  long long id = 0, interval = 0, grace = 0, reminder = 0, last = 0, created = 0, updated = 0;
  long long resumed = 0;
  long long changed = 0;
  int active = 1;
  std::string uuid, name, status;
  soci::indicator last_ind = soci::i_null, resumed_ind = soci::i_null, changed_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(uuid));
    st.exchange(soci::into(name));
    st.exchange(soci::into(interval));
    st.exchange(soci::into(grace));
    st.exchange(soci::into(reminder));
    st.exchange(soci::into(last, last_ind));
    st.exchange(soci::into(status));
    st.exchange(soci::into(active));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
    st.exchange(soci::into(resumed, resumed_ind));
    st.exchange(soci::into(changed, changed_ind));
  }

  application_record record() const {
    application_record r;
    r.id = id;
    r.uuid = uuid;
    r.name = name;
    r.expected_interval_s = interval;
    r.grace_period_s = grace;
    r.reminder_interval_s = reminder;
    if (last_ind == soci::i_ok)
      r.last_heartbeat = from_micros(last);
    r.status = parse_status(status).value_or(app_status::new_);
    r.is_active = active != 0;
    r.created_at = from_micros(created);
    r.updated_at = from_micros(updated);
    if (resumed_ind == soci::i_ok)
      r.resumed_at = from_micros(resumed);
    if (changed_ind == soci::i_ok)
      r.status_changed_at = from_micros(changed);
    return r;
  }
};

} // namespace

std::string sql_last_heartbeat(db_backend backend) {
  constexpr const char* newest_event = "(SELECT MAX(received_at) FROM heartbeat_events AS e "
                                       "WHERE e.application_id = applications.id)";
  if (backend == db_backend::sqlite3)
    return fmt::format("NULLIF(MAX(COALESCE(applications.last_heartbeat, 0), COALESCE({}, 0)), 0)",
                       newest_event);
  return sql_read_time(backend,
                       fmt::format("GREATEST(applications.last_heartbeat, {})", newest_event));
}

application_record insert_application(soci::session& session, db_backend backend,
                                      const application_spec& spec, timestamp now) {
  return insert_application(session, backend, spec, new_uuid_v4(), now);
}

application_record insert_application(soci::session& session, db_backend backend,
                                      const application_spec& spec, const std::string& uuid,
                                      timestamp now) {
  application_record r;
  r.uuid = uuid;
  r.name = spec.name;
  r.expected_interval_s = spec.expected_interval_s;
  r.grace_period_s = spec.grace_period_s;
  r.reminder_interval_s = spec.reminder_interval_s;
  r.created_at = r.updated_at = now;
  long long interval = spec.expected_interval_s, grace = spec.grace_period_s, at = to_micros(now);
  long long reminder = spec.reminder_interval_s;
  long long id = 0;
  const auto sql = fmt::format(
      "INSERT INTO applications (uuid, name, expected_interval, grace_period, reminder_interval, "
      "created_at, updated_at) VALUES (:u, :n, :i, :g, :m, {0}, {0}) RETURNING id",
      sql_write_time(backend, ":t"));
  session << sql, soci::use(r.uuid, "u"), soci::use(r.name, "n"), soci::use(interval, "i"),
      soci::use(grace, "g"), soci::use(reminder, "m"), soci::use(at, "t"), soci::into(id);
  r.id = id;
  return r;
}

namespace {

/// Runs the application query with `where` (after `bind` added its values, which must outlive
/// the call) and calls `each` for every row.
void query_applications(soci::session& session, db_backend backend, std::string_view where,
                        const std::function<void(soci::statement&)>& bind,
                        const std::function<void(application_record&&)>& each) {
  application_row row;
  soci::statement st{session};
  row.bind(st);
  bind(st);
  st.alloc();
  st.prepare(select_applications_sql(backend, where));
  st.define_and_bind();
  st.execute();
  while (st.fetch())
    each(row.record());
}

} // namespace

std::optional<application_record> find_application(soci::session& session, db_backend backend,
                                                   std::int64_t id) {
  long long key = id;
  std::optional<application_record> found;
  query_applications(
      session, backend, "WHERE id = :id",
      [&](soci::statement& st) { st.exchange(soci::use(key, "id")); },
      [&](application_record&& r) { found = std::move(r); });
  return found;
}

void for_each_application(soci::session& session, db_backend backend,
                          const std::function<void(application_record&&)>& each) {
  query_applications(
      session, backend, "ORDER BY id", [](soci::statement&) {}, each);
}

void for_each_application(soci::session& session, db_backend backend, std::size_t limit,
                          std::size_t offset,
                          const std::function<void(application_record&&)>& each) {
  long long n = static_cast<long long>(limit), skip = static_cast<long long>(offset);
  query_applications(
      session, backend, "ORDER BY id LIMIT :n OFFSET :skip",
      [&](soci::statement& st) {
        st.exchange(soci::use(n, "n"));
        st.exchange(soci::use(skip, "skip"));
      },
      each);
}

std::int64_t count_applications(soci::session& session) {
  long long n = 0;
  session << "SELECT COUNT(*) FROM applications", soci::into(n);
  return n;
}

std::int64_t count_heartbeats(soci::session& session, std::int64_t application_id) {
  long long id = application_id, count = 0;
  session << "SELECT COUNT(*) FROM heartbeat_events WHERE application_id = :id", soci::use(id),
      soci::into(count);
  return count;
}

} // namespace hb

namespace hb {

std::optional<application_record> update_application(soci::session& session, db_backend backend,
                                                     std::int64_t id,
                                                     const application_patch& patch,
                                                     timestamp now) {
  auto current = find_application(session, backend, id);
  if (!current)
    return std::nullopt;
  std::string name = patch.name.value_or(current->name);
  long long interval = patch.expected_interval_s.value_or(current->expected_interval_s);
  long long grace = patch.grace_period_s.value_or(current->grace_period_s);
  long long reminder = patch.reminder_interval_s.value_or(current->reminder_interval_s);
  int active = patch.is_active.value_or(current->is_active) ? 1 : 0;
  long long key = id, at = to_micros(now);
  // A resume starts a fresh window; reads measure from it, as the actor does.
  const bool resumed = active == 1 && !current->is_active;
  long long resumed_at = current->resumed_at ? to_micros(*current->resumed_at) : 0;
  soci::indicator resumed_ind = current->resumed_at ? soci::i_ok : soci::i_null;
  if (resumed) {
    resumed_at = at;
    resumed_ind = soci::i_ok;
  }
  // (:a = 1) is a boolean on PostgreSQL and 0/1 on SQLite: the column's type on each.
  session << fmt::format("UPDATE applications SET name = :n, expected_interval = :i, "
                         "grace_period = :g, reminder_interval = :m, is_active = (:a = 1), "
                         "updated_at = {}, "
                         "resumed_at = {} WHERE id = :id",
                         sql_write_time(backend, ":t"), sql_write_time(backend, ":r")),
      soci::use(name, "n"), soci::use(interval, "i"), soci::use(grace, "g"),
      soci::use(reminder, "m"), soci::use(active, "a"), soci::use(at, "t"),
      soci::use(resumed_at, resumed_ind, "r"), soci::use(key, "id");
  return find_application(session, backend, id);
}

std::optional<application_record> delete_application(soci::session& session, db_backend backend,
                                                     std::int64_t id) {
  auto current = find_application(session, backend, id);
  if (!current)
    return std::nullopt;
  long long key = id;
  session << "DELETE FROM applications WHERE id = :id", soci::use(key);
  return current;
}

} // namespace hb
