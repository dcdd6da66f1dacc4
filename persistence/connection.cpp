#include "persistence/connection.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace hb {

void configure_session(soci::session& session, db_backend backend) {
  if (backend == db_backend::sqlite3) {
    // WAL lets readers run beside the writer; FULL makes every commit durable (200 = on disk).
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA synchronous=FULL";
    session << "PRAGMA foreign_keys=ON";
  } else {
    session << "SET TIME ZONE 'UTC'";
  }
}

std::unique_ptr<soci::session> open_session(const database_url& url) {
  auto session =
      url.backend == db_backend::sqlite3
          ? std::make_unique<soci::session>(*soci::factory_sqlite3(), url.connect_string)
          : std::make_unique<soci::session>(*soci::factory_postgresql(), url.connect_string);
  configure_session(*session, url.backend);
  return session;
}

void prepare_database_location(const database_url& url) {
  if (url.backend != db_backend::sqlite3 || url.sqlite_path == ":memory:")
    return;
  const auto parent = std::filesystem::path{url.sqlite_path}.parent_path();
  if (parent.empty())
    return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    throw std::runtime_error("cannot create database directory " + parent.string() + ": " +
                             ec.message());
}

} // namespace hb
