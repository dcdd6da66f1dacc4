#pragma once

#include "config/database_url.hpp"
#include "model/write_batch.hpp"

#include <soci/soci.h>

namespace hb {

/// Writes a whole batch in ONE transaction: heartbeat events, the coalesced last_heartbeat of
/// each application, status changes. Heartbeats for applications that no longer exist are
/// dropped rather than failing the batch. Throws soci::soci_error; then nothing is committed.
void persist_batch(soci::session& session, db_backend backend, const write_batch& batch);

} // namespace hb
