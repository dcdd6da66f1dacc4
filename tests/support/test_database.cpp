#include "support/test_database.hpp"

#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"
#include "util/uuid.hpp"

#include <soci/postgresql/soci-postgresql.h>

#include <cstdlib>
#include <stdexcept>

namespace hb {

std::filesystem::path make_temp_dir(const std::string& prefix) {
  auto pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

test_database::test_database(db_backend backend, bool migrate) {
  if (backend == db_backend::sqlite3) {
    sqlite_dir_ = make_temp_dir("hb-test-");
    url_ = parse_database_url("sqlite3://" + (sqlite_dir_ / "test.db").string());
  } else {
    const char* admin = std::getenv("HEARTBEATD_TEST_PG");
    if (admin == nullptr)
      throw std::runtime_error("HEARTBEATD_TEST_PG is not set: run the tests with scripts/test.sh, "
                               "which starts a throwaway PostgreSQL cluster");
    pg_admin_conninfo_ = admin;
    auto uuid = new_uuid_v4();
    pg_database_ = "hb_test_" + uuid.substr(0, 8) + uuid.substr(9, 4);
    soci::session admin_session{*soci::factory_postgresql(), pg_admin_conninfo_};
    admin_session << "CREATE DATABASE " + pg_database_;
    url_ = parse_database_url(pg_admin_conninfo_ + " dbname=" + pg_database_);
  }
  session_ = open_session(url_);
  if (migrate)
    apply_migrations(*session_, backend);
}

test_database::~test_database() {
  session_.reset();
  try {
    if (!sqlite_dir_.empty()) {
      std::filesystem::remove_all(sqlite_dir_);
    } else if (!pg_database_.empty()) {
      soci::session admin_session{*soci::factory_postgresql(), pg_admin_conninfo_};
      admin_session << "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)";
    }
  } catch (...) {
    // A leftover test database in a throwaway cluster is harmless.
  }
}

} // namespace hb

namespace hb {

void install_poison_trigger(test_database& db) {
  if (db.backend() == db_backend::sqlite3) {
    db.session() << "CREATE TRIGGER poison BEFORE INSERT ON status_changes "
                    "WHEN NEW.to_status = 'paused' BEGIN SELECT RAISE(ABORT, 'poisoned'); END";
  } else {
    db.session() << "CREATE FUNCTION hb_poison() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'poisoned'; END $$ LANGUAGE plpgsql";
    db.session() << "CREATE TRIGGER poison BEFORE INSERT ON status_changes FOR EACH ROW "
                    "WHEN (NEW.to_status = 'paused') EXECUTE FUNCTION hb_poison()";
  }
}

long long query_count(soci::session& session, const std::string& sql) {
  long long n = 0;
  session << sql, soci::into(n);
  return n;
}

} // namespace hb
