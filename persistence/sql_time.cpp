#include "persistence/sql_time.hpp"

#include <fmt/format.h>

namespace hb {

std::string sql_read_time(db_backend backend, std::string_view column) {
  if (backend == db_backend::sqlite3)
    return std::string{column};
  return fmt::format("CAST(EXTRACT(EPOCH FROM {}) * 1000000 AS BIGINT)", column);
}

std::string sql_write_time(db_backend backend, std::string_view placeholder) {
  if (backend == db_backend::sqlite3)
    return std::string{placeholder};
  return fmt::format("(TIMESTAMPTZ 'epoch' + {} * INTERVAL '1 microsecond')", placeholder);
}

} // namespace hb
