#pragma once

#include "model/alert_config.hpp"

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace hb {

/// The alert configs of one application, oldest first.
std::vector<alert_config> list_alert_configs(soci::session& session, db_backend backend,
                                             std::int64_t application_id);

/// The config `id` of `application_id`, if it exists.
std::optional<alert_config> find_alert_config(soci::session& session, db_backend backend,
                                              std::int64_t application_id, std::int64_t id);

/// Adds a config to an existing application and returns the stored row.
alert_config insert_alert_config(soci::session& session, db_backend backend,
                                 const alert_config& config, timestamp now);

/// Applies `patch`; the row after the change, or nothing when there is no such config.
std::optional<alert_config> update_alert_config(soci::session& session, db_backend backend,
                                                std::int64_t application_id, std::int64_t id,
                                                const alert_config_patch& patch, timestamp now);

/// Deletes the config (its notifications go with it); false when there was none.
bool delete_alert_config(soci::session& session, std::int64_t application_id, std::int64_t id);

} // namespace hb
