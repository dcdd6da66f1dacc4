// The email channel against a real SMTP server (aiosmtpd, started as a child process).
#include "alerts/channel.hpp"
#include "alerts/http_receiver.hpp"
#include "alerts/sample_notification.hpp"
#include "alerts/smtp_sink.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace hb;
using namespace hb::alerts;
using namespace std::chrono_literals;

namespace {

// One sink for all cases: starting Python is the slow part of these tests.
test::smtp_sink& sink() {
  static test::smtp_sink instance;
  return instance;
}

channel_settings smtp_settings_for(std::uint16_t port) {
  channel_settings s;
  s.timeout = 2s;
  s.smtp.host = "127.0.0.1";
  s.smtp.port = port;
  s.smtp.from = "heartbeatd <alerts@example.org>";
  s.smtp.tls = smtp_settings::tls_mode::none;
  return s;
}

notification email_to(std::string address) {
  auto n = test::sample_notification();
  n.channel = "email";
  n.target = std::move(address);
  return n;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(email_channel)

BOOST_AUTO_TEST_CASE(email_arrives_with_headers_and_both_parts) {
  auto& smtp = sink();
  const auto before = smtp.message_count();
  auto n = email_to("ops@example.net");
  n.application_name = "Zahlungsläufe <nightly>";
  BOOST_TEST(!make_channel("email", smtp_settings_for(smtp.port()))->notify(n).has_value());
  BOOST_REQUIRE_EQUAL(smtp.message_count(), before + 1);

  const auto mail = smtp.message(before + 1);
  BOOST_TEST(mail["mail_from"] == "alerts@example.org");
  BOOST_TEST(mail["rcpt_tos"] == nlohmann::json::array({"ops@example.net"}));
  const auto& headers = mail["headers"];
  BOOST_TEST(headers["From"] == "heartbeatd <alerts@example.org>");
  BOOST_TEST(headers["To"] == "ops@example.net");
  // Python decodes the RFC 2047 words back to the UTF-8 subject.
  BOOST_TEST(headers["Subject"] == "[heartbeatd] DOWN: Zahlungsläufe <nightly>");
  BOOST_TEST(headers["X-Heartbeatd-Notification-Id"] == "42");
  BOOST_TEST(headers["MIME-Version"] == "1.0");
  BOOST_TEST(headers["Message-ID"].get<std::string>().ends_with("@example.org>"));
  BOOST_TEST(headers["Date"].get<std::string>().ends_with("+0000"));
  BOOST_TEST(mail["content_type"] == "multipart/alternative");

  const auto text = mail["parts"]["text/plain"].get<std::string>();
  const auto html = mail["parts"]["text/html"].get<std::string>();
  BOOST_TEST(contains(text, "Zahlungsläufe <nightly> is DOWN."));
  BOOST_TEST(contains(text, n.application_url));
  BOOST_TEST(contains(html, "Zahlungsläufe &lt;nightly&gt; is DOWN"));
  BOOST_TEST(contains(html, "href=\"" + n.application_url + "\""));
}

BOOST_AUTO_TEST_CASE(one_channel_sends_several_emails) {
  auto& smtp = sink();
  const auto before = smtp.message_count();
  auto email = make_channel("email", smtp_settings_for(smtp.port()));
  BOOST_TEST(!email->notify(email_to("a@example.net")).has_value());
  BOOST_TEST(!email->notify(email_to("b@example.net")).has_value());
  BOOST_REQUIRE_EQUAL(smtp.message_count(), before + 2);
  BOOST_TEST(smtp.message(before + 2)["rcpt_tos"][0] == "b@example.net");
}

BOOST_AUTO_TEST_CASE(rejected_recipient_is_permanent) {
  auto& smtp = sink();
  const auto error =
      make_channel("email", smtp_settings_for(smtp.port()))->notify(email_to("x@reject.test"));
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->permanent);
  BOOST_TEST(contains(error->message, "550"), error->message);
}

BOOST_AUTO_TEST_CASE(temporary_smtp_failure_is_retryable) {
  auto& smtp = sink();
  const auto error =
      make_channel("email", smtp_settings_for(smtp.port()))->notify(email_to("x@later.test"));
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_TEST(contains(error->message, "451"), error->message);
}

BOOST_AUTO_TEST_CASE(unreachable_smtp_server_is_retryable) {
  auto settings = smtp_settings_for(test::closed_port());
  settings.timeout = 300ms;
  const auto error = make_channel("email", settings)->notify(email_to("ops@example.net"));
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
}

BOOST_AUTO_TEST_CASE(starttls_is_required_when_configured) {
  // aiosmtpd without a certificate offers no STARTTLS: sending in clear must not happen.
  auto& smtp = sink();
  const auto before = smtp.message_count();
  auto settings = smtp_settings_for(smtp.port());
  settings.smtp.tls = smtp_settings::tls_mode::starttls;
  const auto error = make_channel("email", settings)->notify(email_to("ops@example.net"));
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(smtp.message_count() == before);
}

BOOST_AUTO_TEST_CASE(starttls_and_smtps_deliver_to_a_server_with_a_trusted_certificate) {
  for (const auto* mode : {"starttls", "tls"}) {
    BOOST_TEST_CONTEXT(mode) {
      test::smtp_sink smtp{mode};
      auto settings = smtp_settings_for(smtp.port());
      settings.smtp.tls = std::string_view{mode} == "tls" ? smtp_settings::tls_mode::tls
                                                          : smtp_settings::tls_mode::starttls;
      settings.smtp.ca_file = smtp.ca_file();
      const auto error = make_channel("email", settings)->notify(email_to("ops@example.net"));
      BOOST_TEST(!error.has_value(), (error ? error->message : ""));
      BOOST_TEST(smtp.message_count() == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_is_refused) {
  test::smtp_sink smtp{"starttls"};
  auto settings = smtp_settings_for(smtp.port());
  settings.smtp.tls = smtp_settings::tls_mode::starttls; // the system's CAs: not this one
  const auto error = make_channel("email", settings)->notify(email_to("ops@example.net"));
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(smtp.message_count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
