#pragma once

#include "config/database_url.hpp"
#include "util/time.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hb {

/// One stored status change of an application.
struct status_change_row {
  std::string from;
  std::string to;
  timestamp at;
};

/// The application's newest `limit` status changes, newest first.
std::vector<status_change_row> status_change_history(soci::session& session, db_backend backend,
                                                     std::int64_t application_id,
                                                     std::size_t limit);

/// When the application's heartbeats since `since` arrived, oldest first, at most `limit`
/// (the newest ones when there are more).
std::vector<timestamp> heartbeat_times_since(soci::session& session, db_backend backend,
                                             std::int64_t application_id, timestamp since,
                                             std::size_t limit);

} // namespace hb
