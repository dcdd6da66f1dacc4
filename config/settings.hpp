#pragma once

#include "alerts/channel.hpp"

#include "config/database_url.hpp"
#include "util/logger.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hb {

/// Everything heartbeatd can be told at start-up. Defaults are the values an operator gets
/// without configuring anything; `setting_table.cpp` documents and validates each one.
struct settings {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  database_url database;
  std::chrono::seconds check_interval{30};
  std::optional<std::string> admin_token;
  std::optional<std::string> admin_password;
  std::chrono::seconds session_idle_timeout{3600}; ///< web UI: signed out after this idle
  std::chrono::seconds session_max_age{12 * 3600}; ///< web UI: signed out after this at most
  std::string public_url;                          // empty: derived from the listen address
  log_level log = log_level::info;
  std::string access_log = "api"; ///< off, api or all
  std::size_t writer_max_batch = 1000;
  std::chrono::microseconds writer_max_delay{0};
  std::size_t writer_connections = 2;
  std::size_t writer_overflow_batch = 256; ///< 0: heartbeats never take the status-change session
  std::size_t writer_max_queued = 100000;
  std::chrono::milliseconds last_heartbeat_flush{1000};
  std::size_t read_pool_size = 4;
  std::size_t http_threads = 2;
  std::size_t actor_threads = 0; ///< 0: half the cores, at least one
  std::size_t history_retention = 1000;
  /// SMTP, SMS and the per-attempt timeout of alert channels.
  alerts::channel_settings channels;
  int alert_max_attempts = 10;                      ///< per notification, then it has failed
  std::chrono::milliseconds alert_retry_base{2000}; ///< first retry delay; doubles each time
  std::size_t alert_workers = 8;
  std::size_t alert_rate = 500; ///< notifications per second at most; 0: no limit ///< threads
                                ///< sending notifications

  /// The base URL users see in heartbeat URLs and alert links.
  std::string effective_public_url() const;
};

/// A bad setting: the message names the variable, the value and what is allowed.
class settings_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// What the command line asked for.
struct command_line {
  enum class action { run, help, version, command } what = action::run;
  std::string command; // for action::command, e.g. "rotate-admin-token"
  settings config;
};

/// Looks up an environment variable; injected so tests need not touch the real environment.
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment.
env_lookup process_environment();

/// Reads every setting from the environment, then from `--flag value` / `--flag=value`
/// overrides in `args` (argv without the program name). Throws settings_error.
command_line load_settings(const env_lookup& env, const std::vector<std::string>& args);

/// The `--help` text, listing every setting with its variable, flag and default.
std::string help_text();

} // namespace hb
