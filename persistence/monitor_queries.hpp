#pragma once

#include "config/database_url.hpp"
#include "util/time.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hb {

/// UUIDs of active applications stored as `up` whose stored last heartbeat is older than their
/// interval + grace at `now`. Only candidates: the application's actor decides.
std::vector<std::string> overdue_candidates(soci::session& session, db_backend backend,
                                            timestamp now);

/// Deletes history beyond the newest `keep` rows for up to `batch` applications with ids above
/// `after_id`. Returns the last id looked at (0 when it reached the end) and how many rows went.
struct prune_progress {
  std::int64_t last_id = 0;     ///< where the next batch starts; 0: this one reached the end
  std::int64_t deleted = 0;     ///< rows
  std::size_t applications = 0; ///< applications pruned
};
prune_progress prune_history(soci::session& session, db_backend backend, std::size_t keep,
                             std::int64_t after_id, std::size_t batch);

} // namespace hb
