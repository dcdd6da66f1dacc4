#pragma once

// Every atom and message type heartbeatd's actors exchange, in one place (STYLE.md). The actor
// interfaces (typed_actor) live beside each actor; this header is what they speak.

#include "model/write_batch.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace hb {

using record_atom = caf::atom_constant<caf::atom("record")>;
using commit_atom = caf::atom_constant<caf::atom("commit")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using ok_atom = caf::atom_constant<caf::atom("ok")>;

/// What the committer reports for a batch it committed.
struct commit_report {
  std::size_t items = 0;
  std::chrono::microseconds duration{0};
};

/// heartbeatd's own error codes, carried in caf::error with category `hb_error_category`.
enum class errc : std::uint8_t {
  database_unavailable = 1, ///< no connection to the database; retried automatically
  commit_failed,            ///< the transaction failed; nothing of it was committed
  shutting_down,            ///< the server is stopping
};

constexpr caf::atom_value hb_error_category = caf::atom("heartbeat");

std::string to_string(errc code);

caf::error make_error(errc code, std::string detail);

} // namespace hb

// These types only travel between actors of one process: no serialisation needed (yet).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::heartbeat_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::status_change)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::write_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::commit_report)
