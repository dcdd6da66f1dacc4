// heartbeatd: wires settings, database, actors and the HTTP front end together.

#include "commands.hpp"

#include "actors/admin.hpp"
#include "actors/dispatcher.hpp"
#include "actors/monitor.hpp"
#include "actors/registry.hpp"
#include "actors/system_config.hpp"
#include "actors/writer.hpp"
#include "config/settings.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "http/web.hpp"
#include "persistence/admin_credentials.hpp"
#include "persistence/application_store.hpp"
#include "persistence/connection.hpp"
#include "persistence/migrations.hpp"
#include "persistence/read_pool.hpp"

#include <fmt/format.h>

#include <csignal>
#include <malloc.h>
#include <cstdio>
#include <pthread.h>
#include <unistd.h>

namespace {

constexpr int exit_bad_setting = 2;
constexpr int exit_startup_failed = 1;
constexpr auto writer_drain_limit = std::chrono::seconds{10};

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

/// Prints a secret generated at this start on standard output, once: never into the log.
void print_once(const hb::admin_secret_state& secret, const char* what) {
  if (!secret.generated)
    return;
  std::printf("\n  %s:\n\n    %s\n\n", what, secret.generated->c_str());
  std::fflush(stdout);
}

/// Migrates, settles the admin token and password (printing generated ones once) and returns
/// their hashes.
std::shared_ptr<hb::admin_secrets> prepare_database(const hb::settings& cfg, soci::session& session,
                                                    const hb::logger& log) {
  const int applied = hb::apply_migrations(session, cfg.database.backend);
  log.info("database {} at schema version {} ({} migrations applied now)", cfg.database.display,
           hb::current_schema_version(session), applied);
  auto token = hb::ensure_admin_token(session, cfg.database.backend, cfg.admin_token);
  print_once(token, "Admin API token (shown once, stored hashed; `heartbeatd rotate-admin-token`"
                    " makes a new one)");
  auto password = hb::ensure_admin_password(session, cfg.database.backend, cfg.admin_password);
  print_once(password, "Web UI admin password (shown once, stored as an argon2id hash;"
                       " `heartbeatd set-admin-password` sets a new one)");
  return std::make_shared<hb::admin_secrets>(
      hb::admin_secrets::secret{token.hash, token.from_environment},
      hb::admin_secrets::secret{password.hash, password.from_environment});
}

/// Starts an actor for every stored application; returns how many.
std::size_t load_applications(caf::actor_system& system, soci::session& session,
                              const hb::settings& cfg, const hb::registry& apps,
                              hb::timestamp startup) {
  hb::for_each_application(session, cfg.database.backend, [&](hb::application_record&& r) {
    caf::anon_send(apps.shard_for(r.uuid), hb::spawn_atom::value, r, startup);
  });
  // Counting asks every shard after its spawn messages: the answer means they are all running.
  std::size_t total = 0;
  caf::scoped_actor self{system};
  for (const auto& shard : apps.shards())
    self->request(shard, caf::infinite, hb::count_atom::value)
        .receive([&](std::size_t n) { total += n; }, [](caf::error&) {});
  return total;
}

void drain_writer(caf::actor_system& system, const hb::writer_actor& writer,
                  const hb::logger& log) {
  caf::scoped_actor self{system};
  self->monitor(writer);
  caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  bool drained = false;
  self->receive([&](const caf::down_msg&) { drained = true; },
                caf::after(writer_drain_limit) >> [] {});
  if (!drained) {
    log.error("the writer did not finish within {} s; stopping anyway", writer_drain_limit.count());
    caf::anon_send_exit(writer, caf::exit_reason::kill);
    system.await_actors_before_shutdown(false); // a hung database must not hang SIGTERM
  }
}

int run_server(const hb::settings& cfg, const std::shared_ptr<const hb::logger>& log,
               const sigset_t& stop_signals) {
  const auto loading_started = std::chrono::steady_clock::now();
  hb::prepare_database_location(cfg.database);
  auto session = hb::open_session(cfg.database);
  const auto secrets = prepare_database(cfg, *session, *log);

  hb::read_pool reads{cfg.database, cfg.read_pool_size};
  // Destroyed before the read pool it posts to.
  const hb::admin_secrets_watch secrets_watch{reads, secrets, log, std::chrono::seconds{1}};
  // Declared before the actor system, so destroyed after it: late answers from actors still
  // find the server's connections.
  hb::http_server server{hb::http_options{cfg.listen_host, cfg.listen_port, cfg.http_threads,
                                          cfg.access_log == "off"   ? hb::access_log::off
                                          : cfg.access_log == "all" ? hb::access_log::all
                                                                    : hb::access_log::api,
                                          cfg.channels.timeout + std::chrono::seconds{5}},
                         log};
  hb::system_config actor_cfg{cfg.actor_threads};
  caf::actor_system system{actor_cfg};

  auto writer_metrics = std::make_shared<hb::writer_metrics>();
  auto statuses = std::make_shared<hb::status_counters>();
  auto writer =
      hb::spawn_writer(system, hb::writer_options{cfg.database, cfg.writer_max_batch,
                                                  cfg.writer_max_delay, cfg.writer_max_queued,
                                                  cfg.writer_connections, cfg.last_heartbeat_flush,
                                                  log, writer_metrics, cfg.writer_overflow_batch});
  const auto started_at = hb::system_now();
  auto alerting = std::make_shared<hb::alert_metrics>();
  auto dispatcher = hb::spawn_dispatcher(
      system, hb::dispatcher_options{cfg.database, cfg.channels,
                                     hb::retry_limits{cfg.alert_max_attempts, cfg.alert_retry_base},
                                     cfg.alert_workers, static_cast<double>(cfg.alert_rate),
                                     cfg.effective_public_url(), std::chrono::milliseconds{1000},
                                     hb::system_now, log, alerting});
  const auto shard_count = std::max<std::size_t>(4, 4 * cfg.actor_threads);
  auto apps = hb::spawn_registry(system, shard_count,
                                 hb::application_context{writer, hb::system_now, log,
                                                         caf::actor_cast<caf::actor>(dispatcher),
                                                         statuses});
  const auto loaded = load_applications(system, *session, cfg, apps, started_at);
  session.reset();
  // Loading left the rows and spawn messages of every application freed but scattered through
  // the heap, where glibc keeps them: give those pages back (hundreds of MB with a million).
  malloc_trim(0);
  log->info(
      "{} applications monitored (loaded in {:.1f} s)", loaded,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - loading_started).count());

  auto admin = hb::spawn_admin(system, writer, apps, hb::system_now);
  auto monitor = hb::spawn_monitor(system, hb::monitor_options{cfg.database, cfg.check_interval,
                                                               cfg.history_retention, 500, apps,
                                                               hb::system_now, log, true});

  auto api = std::make_shared<hb::api>(
      hb::api_context{apps, admin, &reads, cfg.database.backend, cfg.effective_public_url(),
                      secrets, started_at, hb::system_now, std::make_shared<hb::http_metrics>(),
                      writer_metrics, statuses, log, dispatcher, cfg.channels, alerting});
  // Everything that holds actor handles or runs actors stops here, before the actor system
  // (which waits for every actor) goes.
  auto stop_actors = [&] {
    caf::anon_send_exit(monitor, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(admin, caf::exit_reason::user_shutdown);
    hb::stop_registry(apps);
    drain_writer(system, writer, *log);
    caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
  };
  try {
    const auto public_url = cfg.effective_public_url();
    auto web = std::make_shared<hb::web_ui>(
        api, hb::web_options{cfg.session_idle_timeout, cfg.session_max_age,
                             public_url.starts_with("https://")});
    server.start(std::move(api), std::move(web));
  } catch (...) {
    stop_actors();
    reads.stop();
    throw;
  }
  log->info("heartbeatd {} listening on {} (public URL {})", HEARTBEATD_VERSION,
            fmt::format("{}:{}", cfg.listen_host, cfg.listen_port), cfg.effective_public_url());

  int signal = 0;
  sigwait(&stop_signals, &signal);
  log->info("received {}, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  // Actors first, while the HTTP server still runs: the writer commits and answers what it
  // accepted, and requests that arrive meanwhile are answered 503. Then the reads, then HTTP.
  stop_actors();
  reads.stop();
  server.stop();
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
      return hb::run_command(cmd);
    return run_server(cmd.config, log, stop_signals);
  } catch (const std::exception& e) {
    log->error("start-up failed: {}", e.what());
    return exit_startup_failed;
  }
}
