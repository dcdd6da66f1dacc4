#include "config/setting_table.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <regex>
#include <unistd.h>

namespace hb {

namespace {

template <class T> bool parse_integer(const std::string& text, T min, T max, T& out) {
  T value{};
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < min || value > max)
    return false;
  out = value;
  return true;
}

bool apply_listen(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+):([0-9]{1,5})$)"};
  std::smatch m;
  if (!std::regex_match(value, m, pattern))
    return false;
  unsigned port = 0;
  if (!parse_integer(m[2].str(), 0u, 65535u, port))
    return false;
  auto host = m[1].str();
  if (host.front() == '[')
    host = host.substr(1, host.size() - 2);
  s.listen_host = host;
  s.listen_port = static_cast<std::uint16_t>(port);
  return true;
}

bool apply_database(settings& s, const std::string& value) {
  s.database = parse_database_url(value); // throws with the precise reason
  return true;
}

/// Whole seconds within [min, max] into `out`.
bool apply_seconds(std::chrono::seconds& out, const std::string& value, long min, long max) {
  long seconds = 0;
  if (!parse_integer(value, min, max, seconds))
    return false;
  out = std::chrono::seconds{seconds};
  return true;
}

bool apply_check_interval(settings& s, const std::string& value) {
  return apply_seconds(s.check_interval, value, 1L, 86400L);
}

bool apply_session_idle(settings& s, const std::string& value) {
  return apply_seconds(s.session_idle_timeout, value, 60L, 7L * 86400L);
}

bool apply_session_max_age(settings& s, const std::string& value) {
  return apply_seconds(s.session_max_age, value, 60L, 30L * 86400L);
}

bool apply_admin_token(settings& s, const std::string& value) {
  if (value.empty())
    return true; // empty means unset: generate one
  if (value.size() < 16 || value.find_first_of(" \t\r\n") != std::string::npos)
    return false;
  s.admin_token = value;
  return true;
}

bool apply_admin_password(settings& s, const std::string& value) {
  if (value.empty())
    return true;
  if (value.size() < 8)
    return false;
  s.admin_password = value;
  return true;
}

/// An http(s) base URL into `out`, without trailing slashes; empty only when `optional`.
bool apply_base_url(std::string& out, const std::string& value, bool optional) {
  static const std::regex pattern{R"(^https?://[^\s/?#]+(/[^\s?#]*)?$)"};
  if (!(optional && value.empty()) && !std::regex_match(value, pattern))
    return false;
  out = value;
  while (!out.empty() && out.back() == '/')
    out.pop_back();
  return true;
}

bool apply_public_url(settings& s, const std::string& value) {
  return apply_base_url(s.public_url, value, true);
}

bool apply_log_level(settings& s, const std::string& value) {
  auto level = parse_log_level(value);
  if (!level)
    return false;
  s.log = *level;
  return true;
}

bool apply_access_log(settings& s, const std::string& value) {
  if (value != "off" && value != "api" && value != "all")
    return false;
  s.access_log = value;
  return true;
}

bool apply_writer_max_batch(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{100000}, s.writer_max_batch);
}

bool apply_writer_max_delay(settings& s, const std::string& value) {
  long micros = 0;
  if (!parse_integer(value, 0L, 1000000L, micros))
    return false;
  s.writer_max_delay = std::chrono::microseconds{micros};
  return true;
}

bool apply_writer_max_queued(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{100}, std::size_t{10000000}, s.writer_max_queued);
}

bool apply_writer_connections(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{16}, s.writer_connections);
}

bool apply_writer_overflow_batch(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{0}, std::size_t{100000}, s.writer_overflow_batch);
}

bool apply_last_heartbeat_flush(settings& s, const std::string& value) {
  long ms = 0;
  if (!parse_integer(value, 0L, 60000L, ms))
    return false;
  s.last_heartbeat_flush = std::chrono::milliseconds{ms};
  return true;
}

bool apply_read_pool(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{64}, s.read_pool_size);
}

bool apply_http_threads(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{256}, s.http_threads);
}

bool apply_actor_threads(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{0}, std::size_t{256}, s.actor_threads);
}

bool apply_retention(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{100000000}, s.history_retention);
}

bool apply_text(std::string& out, const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos)
    return false;
  out = value;
  return true;
}

bool apply_smtp_host(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^([A-Za-z0-9.\-]+|\[[0-9a-fA-F:.]+\])?$)"};
  return std::regex_match(value, pattern) && apply_text(s.channels.smtp.host, value);
}

bool apply_smtp_port(settings& s, const std::string& value) {
  return parse_integer(value, std::uint16_t{1}, std::uint16_t{65535}, s.channels.smtp.port);
}

bool apply_smtp_user(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^\S*$)"};
  return std::regex_match(value, pattern) && apply_text(s.channels.smtp.user, value);
}

bool apply_smtp_password(settings& s, const std::string& value) {
  return apply_text(s.channels.smtp.password, value);
}

bool apply_smtp_from(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^([^@\s<>]+@[^@\s<>]+)?$)"};
  return std::regex_match(value, pattern) && apply_text(s.channels.smtp.from, value);
}

bool apply_smtp_tls(settings& s, const std::string& value) {
  using mode = alerts::smtp_settings::tls_mode;
  if (value == "none")
    s.channels.smtp.tls = mode::none;
  else if (value == "starttls")
    s.channels.smtp.tls = mode::starttls;
  else if (value == "tls")
    s.channels.smtp.tls = mode::tls;
  else
    return false;
  return true;
}

bool apply_smtp_ca_file(settings& s, const std::string& value) {
  if (!value.empty() && ::access(value.c_str(), R_OK) != 0)
    return false;
  s.channels.smtp.ca_file = value;
  return true;
}

bool apply_sms_url(settings& s, const std::string& value) {
  return apply_base_url(s.channels.sms.base_url, value, false);
}

bool apply_sms_account(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^[A-Za-z0-9]*$)"};
  return std::regex_match(value, pattern) && apply_text(s.channels.sms.account_sid, value);
}

bool apply_sms_token(settings& s, const std::string& value) {
  return apply_text(s.channels.sms.auth_token, value);
}

bool apply_sms_from(settings& s, const std::string& value) {
  static const std::regex pattern{R"(^(\+[1-9][0-9]{6,14})?$)"};
  return std::regex_match(value, pattern) && apply_text(s.channels.sms.from, value);
}

bool apply_alert_timeout(settings& s, const std::string& value) {
  long ms = 0;
  if (!parse_integer(value, 100L, 300000L, ms))
    return false;
  s.channels.timeout = std::chrono::milliseconds{ms};
  return true;
}

bool apply_alert_attempts(settings& s, const std::string& value) {
  return parse_integer(value, 1, 100, s.alert_max_attempts);
}

bool apply_alert_retry_base(settings& s, const std::string& value) {
  long ms = 0;
  if (!parse_integer(value, 10L, 3600000L, ms))
    return false;
  s.alert_retry_base = std::chrono::milliseconds{ms};
  return true;
}

bool apply_alert_rate(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{0}, std::size_t{1000000}, s.alert_rate);
}

bool apply_alert_workers(settings& s, const std::string& value) {
  return parse_integer(value, std::size_t{1}, std::size_t{256}, s.alert_workers);
}

constexpr std::array specs{
    setting_spec{"HEARTBEATD_LISTEN", "listen", "127.0.0.1:8080", "HOST:PORT, port 0-65535",
                 "address the HTTP server listens on", &apply_listen},
    setting_spec{
        "HEARTBEATD_DATABASE", "database", "sqlite3://data/heartbeatd.db",
        "sqlite3://PATH, postgresql://USER:PASSWORD@HOST:PORT/DB or a libpq keyword string",
        "database; SQLite is embedded, PostgreSQL is for production", &apply_database, false, true},
    setting_spec{"HEARTBEAT_CHECK_INTERVAL", "check-interval", "30", "whole seconds 1-86400",
                 "how often the heartbeat monitor sweeps for missed deadlines and prunes history",
                 &apply_check_interval},
    setting_spec{"HEARTBEATD_ADMIN_TOKEN", "admin-token", "",
                 "at least 16 characters without white space",
                 "bearer token for /api; generated, stored hashed and printed once if unset",
                 &apply_admin_token, true},
    setting_spec{"HEARTBEATD_ADMIN_PASSWORD", "admin-password", "", "at least 8 characters",
                 "web UI password; generated and printed once if unset", &apply_admin_password,
                 true},
    setting_spec{"HEARTBEATD_SESSION_IDLE_TIMEOUT", "session-idle-timeout", "3600",
                 "whole seconds 60-604800", "web UI sessions end after this long without a request",
                 &apply_session_idle},
    setting_spec{
        "HEARTBEATD_SESSION_MAX_AGE", "session-max-age", "43200", "whole seconds 60-2592000",
        "web UI sessions end this long after login, however active", &apply_session_max_age},
    setting_spec{"HEARTBEATD_PUBLIC_URL", "public-url", "", "an http:// or https:// URL",
                 "base URL in heartbeat URLs and alert links; default http://LISTEN",
                 &apply_public_url},
    setting_spec{"HEARTBEATD_LOG_LEVEL", "log-level", "info", "error, warn, info or debug",
                 "least severe log lines written; access-log lines are info (see access-log)",
                 &apply_log_level},
    setting_spec{"HEARTBEATD_ACCESS_LOG", "access-log", "api", "off, api or all",
                 "which requests get an access-log line (method, path, status, latency): none, "
                 "every request but heartbeats (API, web UI, /metrics, /healthz), or also every "
                 "heartbeat",
                 &apply_access_log},
    setting_spec{"HEARTBEATD_WRITER_MAX_BATCH", "writer-max-batch", "1000", "1-100000",
                 "most events the writer commits in one transaction", &apply_writer_max_batch},
    setting_spec{"HEARTBEATD_WRITER_MAX_DELAY_US", "writer-max-delay-us", "0",
                 "microseconds 0-1000000",
                 "how long an event that arrives while the database is idle waits for companions "
                 "(events that arrive during a commit always share the next one)",
                 &apply_writer_max_delay},
    setting_spec{"HEARTBEATD_WRITER_MAX_QUEUED", "writer-max-queued", "100000", "100-10000000",
                 "most writes waiting for the database; past it heartbeats get 429 with "
                 "Retry-After instead of growing memory",
                 &apply_writer_max_queued},
    setting_spec{"HEARTBEATD_WRITER_CONNECTIONS", "writer-connections", "2", "1-16",
                 "PostgreSQL sessions committing batches side by side (SQLite always uses one); "
                 "with 2 or more, one is kept for status changes, so that an alert storm does not "
                 "hold up heartbeats; more than 2 pays off only with cores to spare for PostgreSQL",
                 &apply_writer_connections},
    setting_spec{"HEARTBEATD_WRITER_OVERFLOW_BATCH", "writer-overflow-batch", "256", "0-100000",
                 "heartbeats waiting that let a batch of them commit in the session kept for "
                 "status changes while no change waits (a backlog then commits in all sessions "
                 "side by side; no effect with SQLite or one session); 0: never",
                 &apply_writer_overflow_batch},
    setting_spec{"HEARTBEATD_LAST_HEARTBEAT_FLUSH_MS", "last-heartbeat-flush-ms", "1000",
                 "milliseconds 0-60000",
                 "how often applications.last_heartbeat is written (history rows are written at "
                 "once; reads combine both)",
                 &apply_last_heartbeat_flush},
    setting_spec{"HEARTBEATD_READ_POOL", "read-pool", "4", "1-64",
                 "database sessions (and threads) serving reads", &apply_read_pool},
    setting_spec{"HEARTBEATD_HTTP_THREADS", "http-threads", "2", "1-256",
                 "threads serving HTTP connections", &apply_http_threads},
    setting_spec{"HEARTBEATD_ACTOR_THREADS", "actor-threads", "0", "0-256",
                 "scheduler threads running the actors; 0: half the cores, at least one",
                 &apply_actor_threads},
    setting_spec{"HEARTBEATD_HISTORY_RETENTION", "history-retention", "1000", "1-100000000",
                 "heartbeats kept per application; older ones are pruned", &apply_retention},
    setting_spec{"HEARTBEATD_SMTP_HOST", "smtp-host", "", "a host name or [IPv6] address",
                 "SMTP server for email alerts; email alerts are refused while unset",
                 &apply_smtp_host},
    setting_spec{"HEARTBEATD_SMTP_PORT", "smtp-port", "587", "1-65535", "SMTP server port",
                 &apply_smtp_port},
    setting_spec{"HEARTBEATD_SMTP_USER", "smtp-user", "", "no white space",
                 "SMTP login; no authentication while unset", &apply_smtp_user},
    setting_spec{"HEARTBEATD_SMTP_PASSWORD", "smtp-password", "", "one line", "SMTP password",
                 &apply_smtp_password, true},
    setting_spec{"HEARTBEATD_SMTP_FROM", "smtp-from", "", "an email address",
                 "sender address of email alerts", &apply_smtp_from},
    setting_spec{"HEARTBEATD_SMTP_TLS", "smtp-tls", "starttls", "none, starttls or tls",
                 "SMTP encryption: none, STARTTLS required, or TLS from the start (SMTPS)",
                 &apply_smtp_tls},
    setting_spec{"HEARTBEATD_SMTP_CA_FILE", "smtp-ca-file", "", "a readable PEM file",
                 "CA certificates that may sign the SMTP server's certificate (a private mail "
                 "relay); unset: the system's",
                 &apply_smtp_ca_file},
    setting_spec{"HEARTBEATD_SMS_URL", "sms-url", "https://api.twilio.com",
                 "an http:// or https:// URL",
                 "base URL of a Twilio-compatible SMS API (POST "
                 "/2010-04-01/Accounts/SID/Messages.json)",
                 &apply_sms_url},
    setting_spec{"HEARTBEATD_SMS_ACCOUNT_SID", "sms-account-sid", "", "letters and digits",
                 "SMS API account SID; SMS alerts are refused while unset", &apply_sms_account},
    setting_spec{"HEARTBEATD_SMS_AUTH_TOKEN", "sms-auth-token", "", "one line",
                 "SMS API auth token", &apply_sms_token, true},
    setting_spec{"HEARTBEATD_SMS_FROM", "sms-from", "", "an E.164 number, e.g. +15551234567",
                 "sender number of SMS alerts", &apply_sms_from},
    setting_spec{"HEARTBEATD_ALERT_TIMEOUT_MS", "alert-timeout-ms", "10000",
                 "milliseconds 100-300000",
                 "time limit of one delivery attempt (connecting included)", &apply_alert_timeout},
    setting_spec{"HEARTBEATD_ALERT_MAX_ATTEMPTS", "alert-max-attempts", "10", "1-100",
                 "delivery attempts per notification before it is recorded as failed",
                 &apply_alert_attempts},
    setting_spec{"HEARTBEATD_ALERT_RETRY_BASE_MS", "alert-retry-base-ms", "2000",
                 "milliseconds 10-3600000",
                 "delay before the first retry; doubles with each attempt (with jitter, at most "
                 "1 hour) unless the receiver sends Retry-After",
                 &apply_alert_retry_base},
    setting_spec{"HEARTBEATD_ALERT_WORKERS", "alert-workers", "8", "1-256",
                 "threads sending notifications (network waits never block heartbeats)",
                 &apply_alert_workers},
    setting_spec{"HEARTBEATD_ALERT_RATE", "alert-rate", "500", "0-1000000",
                 "notifications sent per second at most, so that an alert storm leaves the CPU "
                 "to heartbeats; 0: no limit",
                 &apply_alert_rate},
};

} // namespace

std::span<const setting_spec> setting_specs() { return specs; }

} // namespace hb
