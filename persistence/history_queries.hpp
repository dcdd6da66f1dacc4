#pragma once

#include "config/database_url.hpp"
#include "util/time.hpp"

#include <soci/soci.h>

#include <chrono>
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

/// How many heartbeats arrived in one slice of time.
struct heartbeat_bucket {
  std::int64_t index = 0; ///< slice number from `since`: [since + index * width, ... + width)
  std::int64_t count = 0;
};

/// The application's heartbeats since `since`, counted per `width` of time (only slices with
/// any), oldest first: a timeline needs where they fall, not every row.
std::vector<heartbeat_bucket> heartbeat_buckets_since(soci::session& session, db_backend backend,
                                                      std::int64_t application_id, timestamp since,
                                                      std::chrono::microseconds width);

} // namespace hb
