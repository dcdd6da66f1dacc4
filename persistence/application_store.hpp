#pragma once

#include "config/database_url.hpp"
#include "model/application.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hb {

/// SQL for an application's last heartbeat, exact although the writer stores
/// applications.last_heartbeat lazily: the stored value or the newest history row, whichever is
/// newer (one index probe). Reads `applications` under its own name.
std::string sql_last_heartbeat(db_backend backend);

/// Inserts a new application with a fresh UUID and returns the stored row.
application_record insert_application(soci::session& session, db_backend backend,
                                      const application_spec& spec, timestamp now);

/// The application with `id`, if there is one.
std::optional<application_record> find_application(soci::session& session, db_backend backend,
                                                   std::int64_t id);

/// How many heartbeats of `application_id` are in history.
std::int64_t count_heartbeats(soci::session& session, std::int64_t application_id);

} // namespace hb
