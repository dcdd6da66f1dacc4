#include "persistence/notification_store.hpp"

#include "persistence/application_store.hpp"
#include "persistence/pg_array.hpp"
#include "persistence/sql_time.hpp"
#include "persistence/write_transaction.hpp"

#include <fmt/format.h>

#include <functional>
#include <limits>

namespace hb {

namespace {

// The status a message reports: the one the change moved to (the application may have moved on
// since), or, for reminders and tests, the stored one. "Since" is when that status began.
/// `source` is what `n` reads: the table, or a subquery that picks rows of it.
std::string notification_sql(db_backend backend, std::string_view where,
                             std::string_view source = "notifications") {
  return fmt::format(
      "SELECT n.id, n.kind, n.attempts, ac.id, ac.channel, ac.target, "
      "CASE WHEN ac.enabled THEN 1 ELSE 0 END, applications.id, CAST(applications.uuid AS TEXT), "
      "applications.name, COALESCE(sc.to_status, applications.status), "
      "CASE WHEN applications.is_active THEN 1 ELSE 0 END, {}, {}, {} "
      "FROM {} AS n "
      "JOIN alert_configs AS ac ON ac.id = n.alert_config_id "
      "JOIN applications ON applications.id = n.application_id "
      "LEFT JOIN status_changes AS sc ON sc.id = n.status_change_id "
      "{}",
      sql_last_heartbeat(backend),
      sql_read_time(backend, "COALESCE(sc.changed_at, applications.status_changed_at, "
                             "n.created_at)"),
      sql_read_time(backend, "n.created_at"), source, where);
}

/// The columns of notification_sql, bound once for a statement's rows.
struct notification_row {
  long long id = 0, config = 0, app = 0, last = 0, since = 0, created = 0;
  int attempts = 0, enabled = 1, active = 1;
  std::string kind, channel, target, uuid, name, status;
  soci::indicator last_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(attempts));
    st.exchange(soci::into(config));
    st.exchange(soci::into(channel));
    st.exchange(soci::into(target));
    st.exchange(soci::into(enabled));
    st.exchange(soci::into(app));
    st.exchange(soci::into(uuid));
    st.exchange(soci::into(name));
    st.exchange(soci::into(status));
    st.exchange(soci::into(active));
    st.exchange(soci::into(last, last_ind));
    st.exchange(soci::into(since));
    st.exchange(soci::into(created));
  }

  due_notification record() const {
    due_notification d;
    auto& m = d.message;
    m.id = id;
    m.kind = alerts::parse_notification_kind(kind).value_or(alerts::notification_kind::test);
    m.channel = channel;
    m.target = target;
    m.application_id = app;
    m.application_uuid = uuid;
    m.application_name = name;
    m.status = parse_status(status).value_or(app_status::new_);
    if (last_ind == soci::i_ok)
      m.last_heartbeat = from_micros(last);
    m.since = from_micros(since);
    m.at = from_micros(created);
    m.attempt = attempts + 1;
    d.alert_config_id = config;
    d.config_enabled = enabled != 0;
    d.application_active = active != 0;
    return d;
  }
};

/// Runs notification_sql with `where` (and `source`) and returns its rows; `bind` adds the
/// values they name.
std::vector<due_notification> query_notifications(soci::session& session, db_backend backend,
                                                  std::string_view where,
                                                  const std::function<void(soci::statement&)>& bind,
                                                  std::string_view source = "notifications") {
  notification_row row;
  soci::statement st{session};
  row.bind(st);
  bind(st);
  st.alloc();
  st.prepare(notification_sql(backend, where, source));
  st.define_and_bind();
  st.execute();
  std::vector<due_notification> out;
  while (st.fetch())
    out.push_back(row.record());
  return out;
}

} // namespace

std::vector<due_notification> due_notifications(soci::session& session, db_backend backend,
                                                timestamp now, std::size_t limit) {
  long long at = to_micros(now), n = static_cast<long long>(limit);
  // The rows are picked first, in the order of the notifications_pending index, and only they
  // are joined: ordering after the joins sorted every pending row on each poll.
  const auto due = fmt::format(
      "(SELECT * FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL AND "
      "next_attempt_at <= {} ORDER BY next_attempt_at, id LIMIT :limit)",
      sql_write_time(backend, ":now"));
  return query_notifications(
      session, backend, "ORDER BY n.next_attempt_at, n.id",
      [&](soci::statement& st) {
        st.exchange(soci::use(at, "now"));
        st.exchange(soci::use(n, "limit"));
      },
      due);
}

std::optional<due_notification> find_notification(soci::session& session, db_backend backend,
                                                  std::int64_t id) {
  long long key = id;
  auto rows = query_notifications(session, backend, "WHERE n.id = :id",
                                  [&](soci::statement& st) { st.exchange(soci::use(key, "id")); });
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

namespace {

// PostgreSQL: every outcome in one statement (arrays and unnest, like the writer); -1 and ''
// stand for NULL. The ids again as `id = ANY(...)`, so that the rows are found by primary key:
// joined to unnest alone, the planner scanned the whole table, which keeps every notification.
constexpr const char* pg_record_outcomes = R"(
  UPDATE notifications AS n
  SET attempts = u.n,
      delivered_at = TIMESTAMPTZ 'epoch' + NULLIF(u.d, -1) * INTERVAL '1 microsecond',
      failed_at = TIMESTAMPTZ 'epoch' + NULLIF(u.f, -1) * INTERVAL '1 microsecond',
      next_attempt_at = TIMESTAMPTZ 'epoch' + NULLIF(u.x, -1) * INTERVAL '1 microsecond',
      last_error = NULLIF(u.e, '')
  FROM unnest(CAST(:id AS bigint[]), CAST(:n AS integer[]), CAST(:d AS bigint[]),
              CAST(:f AS bigint[]), CAST(:x AS bigint[]), CAST(:e AS text[]))
       AS u(id, n, d, f, x, e)
  WHERE n.id = u.id AND n.id = ANY(CAST(:id2 AS bigint[])))";

void record_outcomes_pg(soci::session& session, const std::vector<notification_outcome>& outcomes) {
  using state = notification_outcome::state;
  pg_array_builder ids, attempts, done, failed, next, errors;
  for (const auto& o : outcomes) {
    const auto at = to_micros(o.at);
    ids.add(o.id);
    attempts.add(o.attempts);
    done.add(o.what == state::delivered ? at : -1);
    failed.add(o.what == state::failed ? at : -1);
    next.add(o.what == state::retry && o.next_attempt ? to_micros(*o.next_attempt) : -1);
    errors.add(o.last_error);
  }
  std::string a = ids.finish(), b = attempts.finish(), c = done.finish(), d = failed.finish(),
              e = next.finish(), f = errors.finish();
  session << pg_record_outcomes, soci::use(a, "id"), soci::use(b, "n"), soci::use(c, "d"),
      soci::use(d, "f"), soci::use(e, "x"), soci::use(f, "e"), soci::use(a, "id2");
}

} // namespace

void record_outcomes(soci::session& session, db_backend backend,
                     const std::vector<notification_outcome>& outcomes) {
  if (outcomes.empty())
    return;
  if (backend == db_backend::postgresql)
    return record_outcomes_pg(session, outcomes); // one statement: a transaction of its own
  long long id = 0, done_at = 0, failed_at = 0, next = 0;
  int attempts = 0;
  std::string error;
  soci::indicator done_ind = soci::i_null, failed_ind = soci::i_null, next_ind = soci::i_null,
                  error_ind = soci::i_null;
  write_transaction tx{session, db_backend::sqlite3};
  soci::statement st =
      (session.prepare << "UPDATE notifications SET attempts = :n, delivered_at = :d, "
                          "failed_at = :f, next_attempt_at = :x, last_error = :e WHERE id = :id",
       soci::use(attempts, "n"), soci::use(done_at, done_ind, "d"),
       soci::use(failed_at, failed_ind, "f"), soci::use(next, next_ind, "x"),
       soci::use(error, error_ind, "e"), soci::use(id, "id"));
  using state = notification_outcome::state;
  for (const auto& o : outcomes) {
    id = o.id;
    attempts = o.attempts;
    done_at = failed_at = next = to_micros(o.at);
    done_ind = o.what == state::delivered ? soci::i_ok : soci::i_null;
    failed_ind = o.what == state::failed ? soci::i_ok : soci::i_null;
    next_ind = o.what == state::retry ? soci::i_ok : soci::i_null;
    if (o.next_attempt)
      next = to_micros(*o.next_attempt);
    error = o.last_error;
    error_ind = error.empty() ? soci::i_null : soci::i_ok;
    st.execute(true);
  }
  tx.commit();
}

std::int64_t insert_test_notification(soci::session& session, db_backend backend,
                                      std::int64_t application_id, std::int64_t alert_config_id,
                                      timestamp now) {
  long long app = application_id, config = alert_config_id, at = to_micros(now), id = 0;
  // next_attempt_at stays NULL: not due, so no poll picks it up while it is being sent.
  session << fmt::format("INSERT INTO notifications (application_id, alert_config_id, kind, "
                         "created_at) VALUES (:a, :c, 'test', {}) RETURNING id",
                         sql_write_time(backend, ":t")),
      soci::use(app, "a"), soci::use(config, "c"), soci::use(at, "t"), soci::into(id);
  return id;
}

std::size_t close_abandoned_tests(soci::session& session, db_backend backend, timestamp now) {
  long long at = to_micros(now);
  soci::statement st =
      (session.prepare << fmt::format(
           "UPDATE notifications SET failed_at = {}, last_error = 'not sent: heartbeatd stopped "
           "during the test' WHERE kind = 'test' AND next_attempt_at IS NULL "
           "AND delivered_at IS NULL AND failed_at IS NULL",
           sql_write_time(backend, ":now")),
       soci::use(at, "now"));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::size_t queue_reminders(soci::session& session, db_backend backend, timestamp now) {
  long long at = to_micros(now);
  const auto last_reminder = fmt::format(
      "COALESCE((SELECT MAX(r.created_at) FROM notifications AS r WHERE r.application_id = app.id "
      "AND r.kind = 'reminder' AND r.created_at >= app.status_changed_at), app.status_changed_at)");
  soci::statement st =
      (session.prepare << fmt::format(
           "INSERT INTO notifications (application_id, alert_config_id, kind, created_at, "
           "next_attempt_at) "
           "SELECT app.id, ac.id, 'reminder', {0}, {0} FROM applications AS app "
           "JOIN alert_configs AS ac ON ac.application_id = app.id AND ac.enabled "
           "WHERE app.status = 'down' AND app.is_active AND app.reminder_interval > 0 "
           "AND app.status_changed_at IS NOT NULL "
           "AND {1} + app.reminder_interval * CAST(1000000 AS BIGINT) <= :now",
           sql_write_time(backend, ":now"), sql_read_time(backend, last_reminder)),
       soci::use(at, "now"));
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::vector<notification_entry> list_notifications(soci::session& session, db_backend backend,
                                                   std::int64_t application_id, std::size_t limit,
                                                   std::optional<std::int64_t> before_id) {
  long long id = 0, config = 0, created = 0, next = 0, done = 0, failed = 0;
  long long app = application_id, n = static_cast<long long>(limit);
  long long before = before_id.value_or(std::numeric_limits<std::int64_t>::max());
  int attempts = 0;
  std::string channel, target, kind, error;
  soci::indicator next_ind = soci::i_null, done_ind = soci::i_null, failed_ind = soci::i_null,
                  error_ind = soci::i_null;
  soci::statement st =
      (session.prepare << fmt::format(
           "SELECT n.id, ac.id, ac.channel, ac.target, n.kind, {}, n.attempts, {}, {}, {}, "
           "n.last_error FROM notifications AS n "
           "JOIN alert_configs AS ac ON ac.id = n.alert_config_id "
           "WHERE n.application_id = :a AND n.id < :b ORDER BY n.id DESC LIMIT :n",
           sql_read_time(backend, "n.created_at"), sql_read_time(backend, "n.next_attempt_at"),
           sql_read_time(backend, "n.delivered_at"), sql_read_time(backend, "n.failed_at")),
       soci::into(id), soci::into(config), soci::into(channel), soci::into(target),
       soci::into(kind), soci::into(created), soci::into(attempts), soci::into(next, next_ind),
       soci::into(done, done_ind), soci::into(failed, failed_ind), soci::into(error, error_ind),
       soci::use(app, "a"), soci::use(before, "b"), soci::use(n, "n"));
  st.execute();
  std::vector<notification_entry> out;
  auto optional_time = [](soci::indicator ind, long long us) {
    return ind == soci::i_ok ? std::optional{from_micros(us)} : std::nullopt;
  };
  while (st.fetch()) {
    notification_entry e;
    e.id = id;
    e.alert_config_id = config;
    e.channel = channel;
    e.target = target;
    e.kind = kind;
    e.created_at = from_micros(created);
    e.attempts = attempts;
    e.delivered_at = optional_time(done_ind, done);
    e.failed_at = optional_time(failed_ind, failed);
    if (!e.delivered_at && !e.failed_at)
      e.next_attempt_at = optional_time(next_ind, next);
    e.last_error = error_ind == soci::i_ok ? error : std::string{};
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t count_pending_notifications(soci::session& session) {
  long long n = 0;
  session << "SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL",
      soci::into(n);
  return n;
}

} // namespace hb
