#pragma once

#include "model/application.hpp"
#include "model/application_op.hpp"

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hb {

/// SQL for an application's last heartbeat, exact although the writer stores
/// applications.last_heartbeat lazily: the stored value or the newest history row, whichever is
/// newer (one index probe). Reads `applications` under its own name.
std::string sql_last_heartbeat(db_backend backend);

/// Inserts a new application with `uuid` and returns the stored row.
application_record insert_application(soci::session& session, db_backend backend,
                                      const application_spec& spec, const std::string& uuid,
                                      timestamp now);

/// Inserts a new application with a fresh UUID (tests, tools).
application_record insert_application(soci::session& session, db_backend backend,
                                      const application_spec& spec, timestamp now);

/// Applies `patch`; returns the row after the change, or nothing when there is no such row.
std::optional<application_record> update_application(soci::session& session, db_backend backend,
                                                     std::int64_t id,
                                                     const application_patch& patch, timestamp now);

/// Deletes the application (its history goes with it); returns the row as it was.
std::optional<application_record> delete_application(soci::session& session, db_backend backend,
                                                     std::int64_t id);

/// The application with `id`, if there is one.
std::optional<application_record> find_application(soci::session& session, db_backend backend,
                                                   std::int64_t id);

/// Calls `each` for every application, in id order, without holding them all in memory.
void for_each_application(soci::session& session, db_backend backend,
                          const std::function<void(application_record&&)>& each);

/// Calls `each` for `limit` applications from `offset` on, in id order (a page of a list).
void for_each_application(soci::session& session, db_backend backend, std::size_t limit,
                          std::size_t offset,
                          const std::function<void(application_record&&)>& each);

/// How many applications there are.
std::int64_t count_applications(soci::session& session);

/// How many heartbeats of `application_id` are in history.
std::int64_t count_heartbeats(soci::session& session, std::int64_t application_id);

} // namespace hb
