#pragma once

// Every atom and message type heartbeatd's actors exchange, in one place (STYLE.md). The actor
// interfaces (typed_actor) live beside each actor; this header is what they speak.

#include "model/write_batch.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hb {

using record_atom = caf::atom_constant<caf::atom("record")>;
using commit_atom = caf::atom_constant<caf::atom("commit")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using ok_atom = caf::atom_constant<caf::atom("ok")>;
using apply_atom = caf::atom_constant<caf::atom("apply")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using check_atom = caf::atom_constant<caf::atom("check")>;
using get_atom = caf::atom_constant<caf::atom("get")>;
using spawn_atom = caf::atom_constant<caf::atom("spawn")>;
using update_atom = caf::atom_constant<caf::atom("update")>;
using delete_atom = caf::atom_constant<caf::atom("delete")>;
using count_atom = caf::atom_constant<caf::atom("count")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;
using recorded_atom = caf::atom_constant<caf::atom("recorded")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using send_atom = caf::atom_constant<caf::atom("send")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using test_atom = caf::atom_constant<caf::atom("test")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using pace_atom = caf::atom_constant<caf::atom("pace")>;

enum class errc : std::uint8_t;
caf::error make_error(errc code, std::string detail);

/// Called once with the outcome of a write (an empty error: committed). Lets the HTTP layer
/// answer a heartbeat straight from the writer, without a reply message per hop.
///
/// Copies share one state and the first call wins. If no copy is ever called (a message was
/// dropped because an actor stopped), the last copy to go answers errc::shutting_down: a
/// request is always answered.
class completion {
public:
  using function = std::function<void(const caf::error&)>;

  completion() = default;
  explicit completion(function f) : state_{std::make_shared<state>(std::move(f))} {}

  void operator()(const caf::error& err) const {
    if (state_)
      state_->call(err);
  }

private:
  struct state {
    explicit state(function f) : f_{std::move(f)} {}
    state(const state&) = delete;
    state& operator=(const state&) = delete;
    ~state();
    void call(const caf::error& err) {
      if (!called_.exchange(true))
        f_(err);
    }
    function f_;
    std::atomic<bool> called_{false};
  };
  std::shared_ptr<state> state_;
};

/// What the committer reports for a batch it committed.
struct commit_report {
  std::size_t items = 0;
  std::chrono::microseconds duration{0};
  std::vector<application_op_result> op_results; ///< one per application change, in order
};

/// heartbeatd's own error codes, carried in caf::error with category `hb_error_category`.
enum class errc : std::uint8_t {
  database_unavailable = 1, ///< no connection to the database; retried automatically
  commit_failed,            ///< the transaction failed; nothing of it was committed
  shutting_down,            ///< the server is stopping
  unknown_application,      ///< no application has this UUID or id
  overloaded,               ///< the writer holds as much as it may; try again shortly
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
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::completion)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::application_op)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::application_op_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::application_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::application_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hb::timestamp)
