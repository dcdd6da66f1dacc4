#pragma once

#include "model/application_op.hpp"
#include "model/status.hpp"

#include "util/time.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hb {

/// One received heartbeat, as it is kept in history.
struct heartbeat_event {
  std::int64_t application_id = 0;
  timestamp received_at;
  std::string remote_addr; ///< client IP as text; may be empty
};

/// An application moved from one status to another at a given time.
struct status_change {
  std::int64_t application_id = 0;
  app_status from = app_status::new_;
  app_status to = app_status::new_;
  timestamp at;
};

/// The newest committed heartbeat of one application, for applications.last_heartbeat.
using last_heartbeat_update = std::pair<std::int64_t, timestamp>;

/// Everything the writer commits in one transaction.
struct write_batch {
  std::vector<heartbeat_event> heartbeats;
  std::vector<status_change> status_changes;
  /// Coalesced last_heartbeat values to store, sorted by application id (a fixed lock order, so
  /// that concurrent transactions cannot deadlock on applications rows).
  std::vector<last_heartbeat_update> last_heartbeats;
  /// Creates, updates and deletes of applications, applied in order after the rows above.
  std::vector<application_op> application_ops;

  /// How many acknowledged items (heartbeats, status changes, application changes) it carries.
  std::size_t size() const {
    return heartbeats.size() + status_changes.size() + application_ops.size();
  }
  bool empty() const { return size() == 0 && last_heartbeats.empty(); }
};

/// The newest heartbeat per application in `events`, one entry per application (the coalesced
/// `last_heartbeat` updates of a batch), in order of first appearance.
std::vector<last_heartbeat_update>
newest_heartbeat_per_application(const std::vector<heartbeat_event>& events);

} // namespace hb
