#pragma once

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <array>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace hb {

/// Every persistence test runs on both backends.
inline constexpr std::array<db_backend, 2> all_backends{db_backend::sqlite3,
                                                        db_backend::postgresql};

inline std::ostream& operator<<(std::ostream& out, db_backend b) {
  return out << (b == db_backend::sqlite3 ? "sqlite3" : "postgresql");
}

/// A fresh, migrated database of one backend, dropped again when the object goes. SQLite: a file
/// in a temporary directory. PostgreSQL: a new database on the cluster that scripts/test.sh
/// started, named by HEARTBEATD_TEST_PG (a libpq conninfo for a maintenance database).
class test_database {
public:
  explicit test_database(db_backend backend, bool migrate = true);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const database_url& url() const { return url_; }
  db_backend backend() const { return url_.backend; }
  /// A session of the test's own, for setting up and checking.
  soci::session& session() { return *session_; }

private:
  database_url url_;
  std::filesystem::path sqlite_dir_;
  std::string pg_admin_conninfo_;
  std::string pg_database_;
  std::unique_ptr<soci::session> session_;
};

/// A fresh temporary directory, removed by the caller.
std::filesystem::path make_temp_dir(const std::string& prefix);

} // namespace hb

namespace hb {

/// Makes every transaction that records a status change to `paused` fail inside the database,
/// so tests can watch a whole batch roll back.
void install_poison_trigger(test_database& db);

/// Row count of a query such as `SELECT COUNT(*) FROM t`.
long long query_count(soci::session& session, const std::string& sql);

} // namespace hb
