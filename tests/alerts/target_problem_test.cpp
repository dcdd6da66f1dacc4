#include "alerts/channel.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace hb::alerts;

namespace {

channel_settings configured() {
  channel_settings s;
  s.smtp.host = "smtp.example.org";
  s.smtp.from = "heartbeatd <alerts@example.org>";
  s.sms.account_sid = "AC123";
  s.sms.auth_token = "secret";
  s.sms.from = "+15550001111";
  return s;
}

bool accepted(std::string_view channel, std::string_view target) {
  return !target_problem(channel, target, configured()).has_value();
}

} // namespace

BOOST_AUTO_TEST_SUITE(target_problem_checks)

BOOST_AUTO_TEST_CASE(registry_lists_every_channel_and_makes_each) {
  const std::vector<std::string_view> expected{"email", "slack", "discord", "sms", "webhook"};
  BOOST_TEST(channel_names() == expected, boost::test_tools::per_element());
  for (auto name : channel_names())
    BOOST_TEST((make_channel(name, configured()) != nullptr), name);
  BOOST_TEST((make_channel("pager", configured()) == nullptr));
}

BOOST_AUTO_TEST_CASE(email_accepts_plain_addresses) {
  BOOST_TEST(accepted("email", "ops@example.org"));
  BOOST_TEST(accepted("email", "first.last+alerts@mail.example.co.uk"));
}

BOOST_AUTO_TEST_CASE(email_refuses_what_is_not_an_address) {
  for (std::string bad : {"", "ops", "@example.org", "ops@", "ops@localhost", "ops@@example.org",
                          "a@b@example.org", "ops @example.org", "ops@example.org\r\nBcc: x@y.z",
                          "ops@example.", "ops@.org", "<ops@example.org>"})
    BOOST_TEST(!accepted("email", bad), "accepted '" << bad << "'");
  BOOST_TEST(!accepted("email", std::string(250, 'a') + "@example.org"));
  BOOST_TEST(*target_problem("email", "ops", configured()) ==
             "must be an email address like name@example.com");
}

BOOST_AUTO_TEST_CASE(email_needs_an_smtp_server) {
  auto settings = configured();
  settings.smtp.host.clear();
  BOOST_TEST(*target_problem("email", "ops@example.org", settings) ==
             "email alerts need HEARTBEATD_SMTP_HOST");
}

BOOST_AUTO_TEST_CASE(http_channels_accept_http_and_https_urls) {
  for (auto channel : {"slack", "discord", "webhook"}) {
    BOOST_TEST(accepted(channel, "https://hooks.slack.com/services/T0/B0/XYZ"), channel);
    BOOST_TEST(accepted(channel, "http://127.0.0.1:8080/hook?token=a%20b"), channel);
    BOOST_TEST(accepted(channel, "HTTPS://Example.org"), channel);
  }
}

BOOST_AUTO_TEST_CASE(http_channels_refuse_other_urls) {
  for (auto channel : {"slack", "discord", "webhook"}) {
    for (std::string bad : {"", "example.org/hook", "ftp://example.org/x", "file:///etc/passwd",
                            "https://", "http:///path", "https://exa mple.org/",
                            "https://example.org/\nx", "javascript:alert(1)"})
      BOOST_TEST(!accepted(channel, bad), channel << " accepted '" << bad << "'");
    BOOST_TEST(!accepted(channel, "https://example.org/" + std::string(2048, 'a')));
  }
}

BOOST_AUTO_TEST_CASE(sms_accepts_e164_numbers_only) {
  BOOST_TEST(accepted("sms", "+15551234567"));
  BOOST_TEST(accepted("sms", "+4915112345678"));
  BOOST_TEST(accepted("sms", "+1234567"));
  for (std::string bad : {"", "15551234567", "+05551234567", "+1555123456789012", "+123456",
                          "+1 555 123 4567", "+1555abc4567"})
    BOOST_TEST(!accepted("sms", bad), "accepted '" << bad << "'");
}

BOOST_AUTO_TEST_CASE(sms_needs_a_provider_account) {
  auto settings = configured();
  settings.sms.account_sid.clear();
  BOOST_TEST(*target_problem("sms", "+15551234567", settings) ==
             "SMS alerts need HEARTBEATD_SMS_ACCOUNT_SID");
}

BOOST_AUTO_TEST_CASE(unknown_channel_lists_the_valid_names) {
  const auto problem = target_problem("pager", "x", configured());
  BOOST_REQUIRE(problem.has_value());
  BOOST_TEST(*problem ==
             "unknown channel 'pager'; valid channels: email, slack, discord, sms, webhook");
}

BOOST_AUTO_TEST_SUITE_END()
