#pragma once

#include <string>
#include <string_view>

namespace hb {

enum class db_backend { sqlite3, postgresql };

/// A parsed HEARTBEATD_DATABASE value, ready to open SOCI sessions with.
struct database_url {
  db_backend backend = db_backend::sqlite3;
  /// What SOCI's backend receives: `db=... timeout=...` or a libpq conninfo.
  std::string connect_string;
  /// The value with any password masked, for logs.
  std::string display;
  /// SQLite only: the database file (`:memory:` for an in-memory database).
  std::string sqlite_path;
};

/// `text` with any password in it (URL or keyword form) replaced by ***.
std::string mask_password(std::string_view text);

/// Parses `sqlite3://path`, `sqlite3://:memory:`, `postgresql://user:pw@host:port/db` or a libpq
/// keyword string (`host=... dbname=...`). Throws std::invalid_argument saying what is wrong.
database_url parse_database_url(std::string_view text);

} // namespace hb
