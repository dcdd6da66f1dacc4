#pragma once

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <memory>

namespace hb {

/// Opens one session and configures it: SQLite in WAL mode with synchronous=FULL and foreign
/// keys on; PostgreSQL in UTC. Throws soci::soci_error when the database cannot be reached.
std::unique_ptr<soci::session> open_session(const database_url& url);

/// Configures a session that SOCI opened (e.g. one leased from a soci::connection_pool).
void configure_session(soci::session& session, db_backend backend);

/// Creates the directory that will hold a SQLite file. Throws std::runtime_error.
void prepare_database_location(const database_url& url);

} // namespace hb
