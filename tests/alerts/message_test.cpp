#include "alerts/embedded_templates.hpp"
#include "alerts/message.hpp"
#include "alerts/sample_notification.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace hb::alerts;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    if (i + len > s.size())
      return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(message_rendering)

BOOST_AUTO_TEST_CASE(templates_are_embedded_in_the_binary) {
  for (auto name : {"subject", "headline", "text", "html", "sms"})
    BOOST_TEST(embedded_template(name).has_value(), name);
  BOOST_TEST(!embedded_template("nonexistent").has_value());
}

BOOST_AUTO_TEST_CASE(every_kind_names_the_app_the_status_and_the_link) {
  for (auto kind : {notification_kind::down, notification_kind::up, notification_kind::reminder,
                    notification_kind::test}) {
    const auto n = test::sample_notification(kind);
    const auto m = render_message(n);
    const auto status = std::string{to_string(n.status)};
    BOOST_TEST_CONTEXT("kind " << to_string(kind)) {
      for (const auto* text : {&m.subject, &m.headline, &m.text, &m.html, &m.sms})
        BOOST_TEST(contains(*text, "billing-cron"), *text);
      BOOST_TEST(contains(m.text, n.application_url));
      BOOST_TEST(contains(m.html, "href=\"" + n.application_url + "\""));
      BOOST_TEST(contains(m.sms, n.application_url));
      BOOST_TEST(contains(m.text, "Status:         " + status));
      BOOST_TEST(contains(m.html, "<strong>" + status + "</strong>"));
      BOOST_TEST(contains(m.text, "Last heartbeat: 2026-11-18T11:05:10Z"));
      BOOST_TEST(m.subject.find('\n') == std::string::npos);
      BOOST_TEST(m.headline.find('\n') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(down_says_since_when_and_for_how_long) {
  const auto m = render_message(test::sample_notification(notification_kind::down));
  BOOST_TEST(m.subject == "[heartbeatd] DOWN: billing-cron");
  BOOST_TEST(contains(m.text, "billing-cron is DOWN."));
  BOOST_TEST(contains(m.text, "down since 2026-11-18T11:06:40Z (for 5 minutes)"));
  BOOST_TEST(m.sms == "heartbeatd: billing-cron is DOWN since 2026-11-18T11:06:40Z. "
                      "https://hb.example.org/apps/0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11");
}

BOOST_AUTO_TEST_CASE(each_kind_reads_as_its_own_event) {
  BOOST_TEST(contains(render_template("text", test::sample_notification(notification_kind::up)),
                      "billing-cron is UP again."));
  auto reminder = test::sample_notification(notification_kind::reminder);
  reminder.at = reminder.since + 2h + 5min;
  BOOST_TEST(render_template("subject", reminder) ==
             "[heartbeatd] Still DOWN: billing-cron (for 2 hours 5 minutes)");
  const auto test_text =
      render_template("text", test::sample_notification(notification_kind::test));
  BOOST_TEST(contains(test_text, "This is a test notification for billing-cron"));
  BOOST_TEST(!contains(test_text, "is DOWN."));
}

BOOST_AUTO_TEST_CASE(never_seen_apps_say_never) {
  auto n = test::sample_notification();
  n.last_heartbeat.reset();
  BOOST_TEST(contains(render_template("text", n), "Last heartbeat: never"));
}

BOOST_AUTO_TEST_CASE(no_public_url_leaves_the_link_out) {
  auto n = test::sample_notification();
  n.application_url.clear();
  const auto m = render_message(n);
  BOOST_TEST(!contains(m.text, "Details:"));
  BOOST_TEST(!contains(m.html, "href="));
  BOOST_TEST(m.sms == "heartbeatd: billing-cron is DOWN since 2026-11-18T11:06:40Z.");
}

BOOST_AUTO_TEST_CASE(sms_fits_160_even_with_a_100_character_name) {
  auto n = test::sample_notification();
  n.application_name = std::string(100, 'x');
  auto sms = render_sms(n);
  BOOST_TEST(sms.size() <= max_sms_length);
  BOOST_TEST(contains(sms, n.application_url)); // the name gives way, not the link
  BOOST_TEST(contains(sms, "xxx..."));

  // Multi-byte names are cut between characters, never inside one.
  n.application_name.clear();
  for (int i = 0; i < 100; ++i)
    n.application_name += "ü";
  sms = render_sms(n);
  BOOST_TEST(sms.size() <= max_sms_length);
  BOOST_TEST(is_valid_utf8(sms));

  // Even when the link alone is too long, the text is cut at a character boundary.
  n.application_url = "https://hb.example.org/" + std::string(200, 'a');
  sms = render_sms(n);
  BOOST_TEST(sms.size() <= max_sms_length);
  BOOST_TEST(is_valid_utf8(sms));
}

BOOST_AUTO_TEST_CASE(html_part_escapes_the_name_and_text_parts_do_not) {
  auto n = test::sample_notification();
  n.application_name = "<script>alert('x')</script> & co";
  const auto m = render_message(n);
  BOOST_TEST(!contains(m.html, "<script>"));
  BOOST_TEST(contains(m.html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co"));
  for (const auto* text : {&m.subject, &m.headline, &m.text, &m.sms}) {
    BOOST_TEST(contains(*text, "<script>alert('x')</script> & co"), *text);
    BOOST_TEST(!contains(*text, "&lt;"), *text);
  }
}

BOOST_AUTO_TEST_CASE(durations_read_like_people_write_them) {
  BOOST_TEST(human_duration(30s) == "less than a minute");
  BOOST_TEST(human_duration(1min) == "1 minute");
  BOOST_TEST(human_duration(59min + 59s) == "59 minutes");
  BOOST_TEST(human_duration(1h) == "1 hour");
  BOOST_TEST(human_duration(3h + 1min) == "3 hours 1 minute");
  BOOST_TEST(human_duration(24h + 5min) == "1 day");
  BOOST_TEST(human_duration(50h) == "2 days 2 hours");
  BOOST_TEST(human_duration(-5s) == "less than a minute");
}

BOOST_AUTO_TEST_SUITE_END()
