#pragma once

#include "model/application.hpp"

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hb {

/// One row of history.
struct heartbeat_row {
  std::int64_t id = 0;
  timestamp received_at;
  std::string remote_addr;
};

/// Where a page of history starts: below this (received_at, id), newest first.
struct history_cursor {
  timestamp received_at;
  std::int64_t id = 0;
};

std::string to_string(const history_cursor& c);
std::optional<history_cursor> parse_history_cursor(const std::string& text);

/// Up to `limit` heartbeats of an application, newest first, older than `before` if given.
std::vector<heartbeat_row> heartbeat_history(soci::session& session, db_backend backend,
                                             std::int64_t application_id, std::size_t limit,
                                             const std::optional<history_cursor>& before);

} // namespace hb
