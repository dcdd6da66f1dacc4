#pragma once

#include "model/write_batch.hpp"

#include "config/database_url.hpp"

#include <soci/soci.h>

#include <memory>
#include <vector>

namespace hb {

/// Writes whole batches, each in ONE transaction: heartbeat events, coalesced last_heartbeat
/// values (never moving one back), status changes. Rows naming applications that no longer
/// exist are dropped rather than failing the batch.
///
/// It keeps its statements prepared on the session for as long as it lives: planning them for
/// every batch cost a quarter of PostgreSQL's time (docs/benchmarks.md).
class batch_writer {
public:
  batch_writer(soci::session& session, db_backend backend);
  ~batch_writer();
  batch_writer(const batch_writer&) = delete;
  batch_writer& operator=(const batch_writer&) = delete;

  /// Returns the outcome of each application change, in order. Throws soci::soci_error; then
  /// nothing of the batch is committed.
  std::vector<application_op_result> persist(const write_batch& batch);

  struct statements; ///< per backend, in batch_writer.cpp

private:
  soci::session& session_;
  db_backend backend_;
  std::unique_ptr<statements> prepared_;
};

/// One batch through a short-lived batch_writer (tests, tools).
std::vector<application_op_result> persist_batch(soci::session& session, db_backend backend,
                                                 const write_batch& batch);

} // namespace hb
