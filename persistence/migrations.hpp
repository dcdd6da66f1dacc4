#pragma once

#include "config/database_url.hpp"

#include <soci/soci.h>

namespace hb {

/// The schema version this build expects.
int latest_schema_version();

/// Applies every migration newer than the database's version, each in its own transaction, and
/// returns how many ran. Safe to call on every start and from several nodes at once (PostgreSQL
/// serialises them with an advisory lock). Throws soci::soci_error.
int apply_migrations(soci::session& session, db_backend backend);

/// The version recorded in schema_migrations (0 for an empty database).
int current_schema_version(soci::session& session);

} // namespace hb
