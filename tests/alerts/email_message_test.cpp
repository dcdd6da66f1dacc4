#include "alerts/email_message.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace hb::alerts;

BOOST_AUTO_TEST_SUITE(email_message)

BOOST_AUTO_TEST_CASE(ascii_subjects_stay_readable) {
  BOOST_TEST(encode_header_value("[heartbeatd] DOWN: billing") == "[heartbeatd] DOWN: billing");
}

BOOST_AUTO_TEST_CASE(line_breaks_cannot_inject_headers) {
  BOOST_TEST(encode_header_value("x\r\nBcc: victim@example.org") == "x  Bcc: victim@example.org");
  email_content mail;
  mail.from = "a@example.org";
  mail.to = "b@example.org\r\nBcc: c@example.org";
  mail.subject = "s";
  const auto text = compose_email(mail);
  BOOST_TEST(text.find("\r\nBcc:") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_ascii_subjects_become_short_encoded_words) {
  const std::string subject = "[heartbeatd] DOWN: Zahlungsläufe für Großkunden über Nacht äöü";
  const auto encoded = encode_header_value(subject);
  BOOST_TEST(encoded.starts_with("=?UTF-8?B?"));
  std::size_t start = 0;
  while (start < encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    if (end == std::string::npos)
      end = encoded.size();
    const auto word = encoded.substr(start, end - start);
    BOOST_TEST(word.size() <= 75u, word);
    BOOST_TEST(word.starts_with("=?UTF-8?B?"));
    BOOST_TEST(word.ends_with("?="));
    start = end + 3;
  }
}

BOOST_AUTO_TEST_CASE(dates_follow_rfc5322) {
  BOOST_TEST(rfc5322_date(from_micros(1'795'000'000'123'456)) == "Wed, 18 Nov 2026 11:06:40 +0000");
  BOOST_TEST(rfc5322_date(from_micros(0)) == "Thu, 01 Jan 1970 00:00:00 +0000");
}

BOOST_AUTO_TEST_CASE(bare_address_strips_the_display_name) {
  BOOST_TEST(bare_address("heartbeatd <alerts@example.org>") == "alerts@example.org");
  BOOST_TEST(bare_address("alerts@example.org") == "alerts@example.org");
}

BOOST_AUTO_TEST_CASE(base64_lines_are_at_most_76_characters) {
  BOOST_TEST(base64_lines("") == "");
  BOOST_TEST(base64_lines("Man") == "TWFu\r\n");
  BOOST_TEST(base64_lines("Ma") == "TWE=\r\n");
  const auto long_text = base64_lines(std::string(200, 'x'));
  BOOST_TEST(long_text.substr(0, long_text.find("\r\n")).size() == 76u);
}

BOOST_AUTO_TEST_SUITE_END()
