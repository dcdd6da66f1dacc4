#pragma once

#include "config/settings.hpp"

namespace hb {

/// Runs the command `cmd.command` names (rotate-admin-token, set-admin-password) on the
/// configured database and returns the process's exit status.
int run_command(const command_line& cmd);

} // namespace hb
