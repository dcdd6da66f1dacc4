// The one-shot administrative commands: `heartbeatd rotate-admin-token`,
// `heartbeatd set-admin-password`.

#include "commands.hpp"

#include "persistence/admin_credentials.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"
#include "util/secrets.hpp"

#include <cstdio>
#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace hb {

namespace {

constexpr int exit_bad_input = 2;

/// Reads the new password from standard input (a terminal or a pipe); an empty line generates
/// one. Returns it and whether it was generated.
std::pair<std::string, bool> read_new_password() {
  std::string line;
  termios saved{};
  const bool terminal = isatty(STDIN_FILENO) != 0 && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    std::fprintf(stderr, "New web UI password (at least 8 characters; empty: generate one): ");
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO); // not shown on screen while typed
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::getline(std::cin, line);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputc('\n', stderr);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.pop_back();
  if (line.empty())
    return {generate_password(), true};
  return {line, false};
}

int set_password_command(const settings& cfg, soci::session& session) {
  auto [password, generated] = read_new_password();
  if (password.size() < 8) {
    std::fprintf(stderr, "heartbeatd: the password must have at least 8 characters; nothing "
                         "was changed\n");
    return exit_bad_input;
  }
  set_admin_password(session, cfg.database.backend, password);
  if (generated)
    std::printf("%s\n", password.c_str());
  std::fprintf(stderr, "The new web UI password is stored (argon2id hash). A running heartbeatd "
                       "on this database refuses the old one, and ends the sessions signed in "
                       "with it, within about a second.\n");
  if (cfg.admin_password)
    std::fprintf(stderr,
                 "note: HEARTBEATD_ADMIN_PASSWORD is set and overrides the stored password\n");
  return 0;
}

} // namespace

int run_command(const command_line& cmd) {
  const auto& cfg = cmd.config;
  prepare_database_location(cfg.database);
  auto session = open_session(cfg.database);
  apply_migrations(*session, cfg.database.backend);
  if (cmd.command == "set-admin-password")
    return set_password_command(cfg, *session);
  const auto token = rotate_admin_token(*session, cfg.database.backend);
  std::printf("%s\n", token.c_str());
  std::fprintf(stderr, "The new token is stored (hashed). A running heartbeatd on this database "
                       "refuses the old one within about a second.\n");
  if (cfg.admin_token)
    std::fprintf(stderr, "note: HEARTBEATD_ADMIN_TOKEN is set and overrides the stored token\n");
  return 0;
}

} // namespace hb
