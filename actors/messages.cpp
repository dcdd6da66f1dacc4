#include "actors/messages.hpp"

namespace hb {

std::string to_string(errc code) {
  switch (code) {
  case errc::database_unavailable:
    return "database_unavailable";
  case errc::commit_failed:
    return "commit_failed";
  case errc::shutting_down:
    return "shutting_down";
  case errc::unknown_application:
    return "unknown_application";
  case errc::overloaded:
    return "overloaded";
  }
  return "unknown";
}

completion::state::~state() {
  if (called_)
    return;
  try {
    f_(make_error(errc::shutting_down, "stopped before this was committed"));
  } catch (...) {
    // A destructor must not throw; the request is then left to its connection timeout.
  }
}

caf::error make_error(errc code, std::string detail) {
  return caf::error{static_cast<std::uint8_t>(code), hb_error_category,
                    caf::make_message(std::move(detail))};
}

} // namespace hb
