#include "persistence/alert_store.hpp"

#include "persistence/sql_time.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

std::string select_configs_sql(db_backend backend, std::string_view where) {
  return fmt::format("SELECT id, application_id, channel, target, "
                     "CASE WHEN enabled THEN 1 ELSE 0 END, {}, {} FROM alert_configs {}",
                     sql_read_time(backend, "created_at"), sql_read_time(backend, "updated_at"),
                     where);
}

struct config_row {
  long long id = 0, app = 0, created = 0, updated = 0;
  int enabled = 1;
  std::string channel, target;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(app));
    st.exchange(soci::into(channel));
    st.exchange(soci::into(target));
    st.exchange(soci::into(enabled));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }

  alert_config record() const {
    return {id, app, channel, target, enabled != 0, from_micros(created), from_micros(updated)};
  }
};

std::vector<alert_config> query_configs(soci::session& session, db_backend backend,
                                        std::string_view where, long long application_id,
                                        std::optional<long long> id) {
  config_row row;
  soci::statement st{session};
  row.bind(st);
  st.exchange(soci::use(application_id, "a"));
  long long key = id.value_or(0);
  if (id)
    st.exchange(soci::use(key, "id"));
  st.alloc();
  st.prepare(select_configs_sql(backend, where));
  st.define_and_bind();
  st.execute();
  std::vector<alert_config> out;
  while (st.fetch())
    out.push_back(row.record());
  return out;
}

} // namespace

std::vector<alert_config> list_alert_configs(soci::session& session, db_backend backend,
                                             std::int64_t application_id) {
  return query_configs(session, backend, "WHERE application_id = :a ORDER BY id", application_id,
                       std::nullopt);
}

std::optional<alert_config> find_alert_config(soci::session& session, db_backend backend,
                                              std::int64_t application_id, std::int64_t id) {
  auto rows =
      query_configs(session, backend, "WHERE application_id = :a AND id = :id", application_id, id);
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

alert_config insert_alert_config(soci::session& session, db_backend backend,
                                 const alert_config& config, timestamp now) {
  alert_config r = config;
  r.created_at = r.updated_at = now;
  long long app = config.application_id, at = to_micros(now), id = 0;
  int enabled = config.enabled ? 1 : 0;
  // (:e = 1) is a boolean on PostgreSQL and 0/1 on SQLite: the column's type on each.
  session << fmt::format("INSERT INTO alert_configs (application_id, channel, target, enabled, "
                         "created_at, updated_at) VALUES (:a, :c, :t, (:e = 1), {0}, {0}) "
                         "RETURNING id",
                         sql_write_time(backend, ":at")),
      soci::use(app, "a"), soci::use(r.channel, "c"), soci::use(r.target, "t"),
      soci::use(enabled, "e"), soci::use(at, "at"), soci::into(id);
  r.id = id;
  return r;
}

std::optional<alert_config> update_alert_config(soci::session& session, db_backend backend,
                                                std::int64_t application_id, std::int64_t id,
                                                const alert_config_patch& patch, timestamp now) {
  auto current = find_alert_config(session, backend, application_id, id);
  if (!current)
    return std::nullopt;
  std::string channel = patch.channel.value_or(current->channel);
  std::string target = patch.target.value_or(current->target);
  int enabled = patch.enabled.value_or(current->enabled) ? 1 : 0;
  long long key = id, at = to_micros(now);
  session << fmt::format("UPDATE alert_configs SET channel = :c, target = :t, enabled = (:e = 1), "
                         "updated_at = {} WHERE id = :id",
                         sql_write_time(backend, ":at")),
      soci::use(channel, "c"), soci::use(target, "t"), soci::use(enabled, "e"), soci::use(at, "at"),
      soci::use(key, "id");
  return find_alert_config(session, backend, application_id, id);
}

bool delete_alert_config(soci::session& session, std::int64_t application_id, std::int64_t id) {
  long long app = application_id, key = id;
  soci::statement st = (session.prepare << "DELETE FROM alert_configs "
                                           "WHERE application_id = :a AND id = :id",
                        soci::use(app, "a"), soci::use(key, "id"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

} // namespace hb
