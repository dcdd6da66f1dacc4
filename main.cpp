// heartbeatd: wires settings, database, actors and the HTTP front end together.

#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "config/settings.hpp"
#include "http/server.hpp"
#include "persistence/admin_credentials.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"
#include "persistence/read_pool.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <pthread.h>

namespace {

constexpr int exit_bad_setting = 2;
constexpr int exit_startup_failed = 1;

/// Signals are blocked in every thread and taken synchronously by main, so SIGTERM from systemd
/// and Ctrl-C both lead to the same orderly shutdown.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int run_server(const hb::settings& cfg, const std::shared_ptr<const hb::logger>& log,
               const sigset_t& stop_signals) {
  hb::prepare_database_location(cfg.database);
  {
    auto session = hb::open_session(cfg.database);
    const int applied = hb::apply_migrations(*session, cfg.database.backend);
    log->info("database {} at schema version {} ({} migrations applied now)", cfg.database.display,
              hb::current_schema_version(*session), applied);
    auto token = hb::ensure_admin_token(*session, cfg.database.backend, cfg.admin_token);
    if (token.generated) {
      std::printf("\n  Admin API token (shown once, stored hashed; `heartbeatd rotate-admin-token`"
                  " makes a new one):\n\n    %s\n\n",
                  token.generated->c_str());
      std::fflush(stdout);
    }
  }
  hb::read_pool reads{cfg.database, cfg.read_pool_size};
  hb::system_config actor_cfg{cfg.actor_threads};
  caf::actor_system system{actor_cfg};
  auto writer = hb::spawn_writer(
    system, hb::writer_options{cfg.database, cfg.writer_max_batch, cfg.writer_max_delay,
                               cfg.writer_connections, cfg.last_heartbeat_flush, log});

  hb::http_server server{
    hb::http_options{cfg.listen_host, cfg.listen_port, cfg.http_threads,
                     cfg.database.backend == hb::db_backend::sqlite3 ? "sqlite3" : "postgresql"},
    reads, log};
  try {
    server.start();
  } catch (...) {
    caf::anon_send_exit(writer, caf::exit_reason::kill);
    throw;
  }
  log->info("heartbeatd {} listening on {} (public URL {})", HEARTBEATD_VERSION,
            fmt::format("{}:{}", cfg.listen_host, cfg.listen_port), cfg.effective_public_url());

  int signal = 0;
  sigwait(&stop_signals, &signal);
  log->info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  return 0;
}

int run_command(const hb::command_line& cmd) {
  const auto& cfg = cmd.config;
  hb::prepare_database_location(cfg.database);
  auto session = hb::open_session(cfg.database);
  hb::apply_migrations(*session, cfg.database.backend);
  // Only one command so far: rotate-admin-token.
  const auto token = hb::rotate_admin_token(*session, cfg.database.backend);
  std::printf("%s\n", token.c_str());
  if (cfg.admin_token)
    std::fprintf(stderr, "note: HEARTBEATD_ADMIN_TOKEN is set and overrides the stored token\n");
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  const auto stop_signals = block_stop_signals();
  hb::command_line cmd;
  try {
    cmd = hb::load_settings(hb::process_environment(),
                            std::vector<std::string>(argv + 1, argv + argc));
  } catch (const hb::settings_error& e) {
    std::fprintf(stderr, "heartbeatd: %s\n", e.what());
    return exit_bad_setting;
  }
  switch (cmd.what) {
    case hb::command_line::action::help:
      std::fputs(hb::help_text().c_str(), stdout);
      return 0;
    case hb::command_line::action::version:
      std::printf("heartbeatd %s\n", HEARTBEATD_VERSION);
      return 0;
    default:
      break;
  }
  auto log = std::make_shared<const hb::logger>(cmd.config.log);
  try {
    if (cmd.what == hb::command_line::action::command)
      return run_command(cmd);
    return run_server(cmd.config, log, stop_signals);
  } catch (const std::exception& e) {
    log->error("start-up failed: {}", e.what());
    return exit_startup_failed;
  }
}
