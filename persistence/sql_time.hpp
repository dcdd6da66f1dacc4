#pragma once

#include "config/database_url.hpp"

#include <string>
#include <string_view>

namespace hb {

/// SQL that reads a timestamp column as microseconds since the epoch (a BIGINT).
std::string sql_read_time(db_backend backend, std::string_view column);

/// SQL that turns a bound BIGINT of microseconds since the epoch into the column's type.
std::string sql_write_time(db_backend backend, std::string_view placeholder);

} // namespace hb
