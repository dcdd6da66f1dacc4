#pragma once

#include <caf/actor_system_config.hpp>

#include <cstddef>

namespace hb {

/// The one actor_system_config of heartbeatd: scheduler size and every message type.
class system_config : public caf::actor_system_config {
public:
  explicit system_config(std::size_t scheduler_threads);
};

/// The text of a caf::error from one of our actors: the detail if there is one.
std::string error_text(const caf::error& err);

} // namespace hb
