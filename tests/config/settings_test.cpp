#include "config/setting_table.hpp"
#include "config/settings.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <map>

using namespace hb;
namespace bdata = boost::unit_test::data;

namespace {

command_line load(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
  return load_settings(
      [&env](const std::string& name) -> std::optional<std::string> {
        if (auto it = env.find(name); it != env.end())
          return it->second;
        return std::nullopt;
      },
      args);
}

std::string error_of(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
  try {
    load(std::move(env), std::move(args));
  } catch (const settings_error& e) {
    return e.what();
  }
  return "";
}

struct bad_value {
  std::string env;
  std::string value;
};
std::ostream& operator<<(std::ostream& out, const bad_value& b) {
  return out << b.env << "=" << b.value;
}

const std::vector<bad_value> bad_values{
    {"HEARTBEATD_LISTEN", "8080"},
    {"HEARTBEATD_LISTEN", "localhost:99999"},
    {"HEARTBEATD_LISTEN", "local host:80"},
    {"HEARTBEATD_DATABASE", "mysql://x"},
    {"HEARTBEATD_DATABASE", "sqlite3://"},
    {"HEARTBEATD_DATABASE", "postgresql://host:notaport/db"},
    {"HEARTBEAT_CHECK_INTERVAL", "0"},
    {"HEARTBEAT_CHECK_INTERVAL", "30s"},
    {"HEARTBEAT_CHECK_INTERVAL", "86401"},
    {"HEARTBEATD_ADMIN_TOKEN", "short"},
    {"HEARTBEATD_ADMIN_PASSWORD", "1234567"},
    {"HEARTBEATD_SESSION_IDLE_TIMEOUT", "59"},
    {"HEARTBEATD_SESSION_IDLE_TIMEOUT", "1h"},
    {"HEARTBEATD_SESSION_MAX_AGE", "2592001"},
    {"HEARTBEATD_PUBLIC_URL", "ftp://example.com"},
    {"HEARTBEATD_PUBLIC_URL", "example.com"},
    {"HEARTBEATD_LOG_LEVEL", "verbose"},
    {"HEARTBEATD_ACCESS_LOG", "some"},
    {"HEARTBEATD_WRITER_MAX_BATCH", "0"},
    {"HEARTBEATD_WRITER_MAX_DELAY_US", "-1"},
    {"HEARTBEATD_WRITER_CONNECTIONS", "17"},
    {"HEARTBEATD_WRITER_OVERFLOW_BATCH", "100001"},
    {"HEARTBEATD_WRITER_OVERFLOW_BATCH", "-1"},
    {"HEARTBEATD_WRITER_MAX_QUEUED", "99"},
    {"HEARTBEATD_LAST_HEARTBEAT_FLUSH_MS", "60001"},
    {"HEARTBEATD_READ_POOL", "65"},
    {"HEARTBEATD_HTTP_THREADS", "0"},
    {"HEARTBEATD_ACTOR_THREADS", "many"},
    {"HEARTBEATD_ACTOR_THREADS", "257"},
    {"HEARTBEATD_HISTORY_RETENTION", "0"},
    {"HEARTBEATD_SMTP_HOST", "bad host"},
    {"HEARTBEATD_SMTP_PORT", "0"},
    {"HEARTBEATD_SMTP_USER", "a b"},
    {"HEARTBEATD_SMTP_PASSWORD", "a\nb"},
    {"HEARTBEATD_SMTP_FROM", "not-an-address"},
    {"HEARTBEATD_SMTP_TLS", "ssl"},
    {"HEARTBEATD_SMTP_CA_FILE", "/nonexistent/ca.pem"},
    {"HEARTBEATD_SMS_URL", "ftp://sms.example"},
    {"HEARTBEATD_SMS_ACCOUNT_SID", "AC-1"},
    {"HEARTBEATD_SMS_AUTH_TOKEN", "a\nb"},
    {"HEARTBEATD_SMS_FROM", "5551234"},
    {"HEARTBEATD_ALERT_TIMEOUT_MS", "99"},
    {"HEARTBEATD_ALERT_MAX_ATTEMPTS", "0"},
    {"HEARTBEATD_ALERT_RETRY_BASE_MS", "9"},
    {"HEARTBEATD_ALERT_WORKERS", "0"},
    {"HEARTBEATD_ALERT_RATE", "-5"},
};

} // namespace

BOOST_AUTO_TEST_CASE(defaults_need_no_configuration) {
  auto cmd = load({});
  const auto& s = cmd.config;
  BOOST_TEST((cmd.what == command_line::action::run));
  BOOST_TEST(s.listen_host == "127.0.0.1");
  BOOST_TEST(s.listen_port == 8080);
  BOOST_TEST((s.database.backend == db_backend::sqlite3));
  BOOST_TEST(s.database.sqlite_path == "data/heartbeatd.db");
  BOOST_TEST(s.check_interval.count() == 30);
  BOOST_TEST(!s.admin_token.has_value());
  BOOST_TEST(s.effective_public_url() == "http://127.0.0.1:8080");
  BOOST_TEST(s.writer_max_batch == 1000u);
  BOOST_TEST(s.writer_max_delay.count() == 0);
  BOOST_TEST(s.actor_threads >= 1u); // derived from the cores
  BOOST_TEST(s.history_retention == 1000u);
}

BOOST_AUTO_TEST_CASE(good_values_of_every_setting_are_taken) {
  auto s = load({{"HEARTBEATD_LISTEN", "0.0.0.0:9000"},
                 {"HEARTBEATD_DATABASE", "postgresql://hb:secret@db.example:5433/heartbeatd"},
                 {"HEARTBEAT_CHECK_INTERVAL", "5"},
                 {"HEARTBEATD_ADMIN_TOKEN", "0123456789abcdef0123"},
                 {"HEARTBEATD_ADMIN_PASSWORD", "correct horse"},
                 {"HEARTBEATD_PUBLIC_URL", "https://hb.example.com/"},
                 {"HEARTBEATD_LOG_LEVEL", "debug"},
                 {"HEARTBEATD_WRITER_MAX_BATCH", "500"},
                 {"HEARTBEATD_WRITER_MAX_DELAY_US", "0"},
                 {"HEARTBEATD_WRITER_CONNECTIONS", "3"},
                 {"HEARTBEATD_WRITER_OVERFLOW_BATCH", "0"},
                 {"HEARTBEATD_LAST_HEARTBEAT_FLUSH_MS", "250"},
                 {"HEARTBEATD_READ_POOL", "8"},
                 {"HEARTBEATD_HTTP_THREADS", "4"},
                 {"HEARTBEATD_ACTOR_THREADS", "3"},
                 {"HEARTBEATD_HISTORY_RETENTION", "50"},
                 {"HEARTBEATD_SMTP_HOST", "smtp.example.com"},
                 {"HEARTBEATD_SMTP_PORT", "465"},
                 {"HEARTBEATD_SMTP_TLS", "tls"},
                 {"HEARTBEATD_SMTP_FROM", "hb@example.com"},
                 {"HEARTBEATD_SMS_URL", "http://127.0.0.1:9/"},
                 {"HEARTBEATD_SMS_ACCOUNT_SID", "AC123"},
                 {"HEARTBEATD_SMS_FROM", "+15551234567"},
                 {"HEARTBEATD_ALERT_TIMEOUT_MS", "500"},
                 {"HEARTBEATD_ALERT_MAX_ATTEMPTS", "3"},
                 {"HEARTBEATD_ALERT_RETRY_BASE_MS", "50"},
                 {"HEARTBEATD_ALERT_WORKERS", "2"}})
               .config;
  BOOST_TEST(s.listen_host == "0.0.0.0");
  BOOST_TEST(s.listen_port == 9000);
  BOOST_TEST((s.database.backend == db_backend::postgresql));
  BOOST_TEST(s.database.display == "postgresql://hb:***@db.example:5433/heartbeatd");
  BOOST_TEST(s.check_interval.count() == 5);
  BOOST_TEST(*s.admin_token == "0123456789abcdef0123");
  BOOST_TEST(*s.admin_password == "correct horse");
  BOOST_TEST(s.effective_public_url() == "https://hb.example.com");
  BOOST_TEST((s.log == log_level::debug));
  BOOST_TEST(s.writer_max_batch == 500u);
  BOOST_TEST(s.writer_max_delay.count() == 0);
  BOOST_TEST(s.writer_connections == 3u);
  BOOST_TEST(s.writer_overflow_batch == 0u);
  BOOST_TEST(s.last_heartbeat_flush.count() == 250);
  BOOST_TEST(s.read_pool_size == 8u);
  BOOST_TEST(s.http_threads == 4u);
  BOOST_TEST(s.actor_threads == 3u);
  BOOST_TEST(s.history_retention == 50u);
  BOOST_TEST(s.channels.smtp.host == "smtp.example.com");
  BOOST_TEST(s.channels.smtp.port == 465);
  BOOST_TEST((s.channels.smtp.tls == alerts::smtp_settings::tls_mode::tls));
  BOOST_TEST(s.channels.smtp.from == "hb@example.com");
  BOOST_TEST(s.channels.sms.base_url == "http://127.0.0.1:9");
  BOOST_TEST(s.channels.sms.account_sid == "AC123");
  BOOST_TEST(s.channels.sms.from == "+15551234567");
  BOOST_TEST(s.channels.timeout.count() == 500);
  BOOST_TEST(s.alert_max_attempts == 3);
  BOOST_TEST(s.alert_retry_base.count() == 50);
  BOOST_TEST(s.alert_workers == 2u);
}

BOOST_DATA_TEST_CASE(a_bad_value_is_refused_naming_variable_value_and_what_is_allowed,
                     bdata::make(bad_values), bad) {
  const auto message = error_of({{bad.env, bad.value}});
  BOOST_TEST_INFO("message: " << message);
  BOOST_TEST(message.find("invalid " + bad.env) != std::string::npos);
  const bool secret =
      bad.env.find("TOKEN") != std::string::npos || bad.env.find("PASSWORD") != std::string::npos;
  if (secret)
    BOOST_TEST(message.find(bad.value) == std::string::npos); // never echo secrets
  else
    BOOST_TEST(message.find("'" + bad.value + "'") != std::string::npos);
  BOOST_TEST(message.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_setting_has_a_bad_value_test) {
  for (const auto& spec : setting_specs()) {
    bool covered = false;
    for (const auto& b : bad_values)
      covered = covered || b.env == spec.env;
    BOOST_TEST(covered, spec.env << " has no bad-value test");
  }
}

BOOST_AUTO_TEST_CASE(a_refused_database_url_is_shown_without_its_password) {
  const auto message = error_of({{"HEARTBEATD_DATABASE", "postgresql://hb:s3cret@host:port/db"}});
  BOOST_TEST(message.find("HEARTBEATD_DATABASE") != std::string::npos);
  BOOST_TEST(message.find("s3cret") == std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(flags_override_the_environment) {
  auto s = load({{"HEARTBEATD_LISTEN", "127.0.0.1:1"}}, {"--listen", "127.0.0.1:2"}).config;
  BOOST_TEST(s.listen_port == 2);
  s = load({}, {"--listen=[::1]:3", "--check-interval=7"}).config;
  BOOST_TEST(s.listen_host == "::1");
  BOOST_TEST(s.listen_port == 3);
  BOOST_TEST(s.check_interval.count() == 7);
  BOOST_TEST(s.effective_public_url() == "http://[::1]:3");
}

BOOST_AUTO_TEST_CASE(bad_flags_are_named) {
  BOOST_TEST(error_of({}, {"--nope", "1"}) == "unknown option --nope (see --help)");
  BOOST_TEST(error_of({}, {"--listen"}) == "--listen needs a value (see --help)");
  BOOST_TEST(error_of({}, {"--listen=x"}).find("invalid --listen='x'") == 0u);
  BOOST_TEST(error_of({}, {"frobnicate"}) == "unknown command 'frobnicate' (see --help)");
}

BOOST_AUTO_TEST_CASE(help_and_version_and_commands) {
  BOOST_TEST((load({}, {"--help"}).what == command_line::action::help));
  BOOST_TEST((load({}, {"--version"}).what == command_line::action::version));
  auto cmd = load({}, {"rotate-admin-token"});
  BOOST_TEST((cmd.what == command_line::action::command));
  BOOST_TEST(cmd.command == "rotate-admin-token");
}

BOOST_AUTO_TEST_CASE(help_lists_every_setting_with_its_flag_and_default) {
  const auto help = help_text();
  for (const auto& spec : setting_specs()) {
    BOOST_TEST(help.find(std::string{spec.env}) != std::string::npos, spec.env);
    BOOST_TEST(help.find("--" + std::string{spec.flag}) != std::string::npos, spec.flag);
  }
  BOOST_TEST(help.find("default: 30") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(readme_and_the_example_file_document_every_setting) {
  auto read = [](const std::string& relative) {
    std::ifstream in{std::string{HB_SOURCE_DIR} + "/" + relative};
    BOOST_TEST_REQUIRE(in.good(), relative);
    return std::string{std::istreambuf_iterator<char>{in}, {}};
  };
  const auto readme = read("README.md");
  const auto example = read("config/heartbeatd.env.example");
  for (const auto& spec : setting_specs()) {
    const std::string name{spec.env};
    BOOST_TEST(readme.find("`" + name + "`") != std::string::npos, name << " missing in README");
    BOOST_TEST(example.find(name + "=") != std::string::npos, name << " missing in the example");
    if (!spec.fallback.empty()) {
      const std::string row = "| `" + name + "` | `" + std::string{spec.fallback} + "` |";
      BOOST_TEST(readme.find(row) != std::string::npos, name << ": README default differs");
    }
  }
}
