// The HTTP channels against a real HTTP server on the loopback interface.
#include "alerts/channel.hpp"
#include "alerts/email_message.hpp"
#include "alerts/http_receiver.hpp"
#include "alerts/sample_notification.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

using namespace hb;
using namespace hb::alerts;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr auto test_timeout = 300ms;

channel_settings settings_for(const test::http_receiver& receiver) {
  channel_settings s;
  s.timeout = test_timeout;
  s.sms.base_url = receiver.url("/twilio/");
  s.sms.account_sid = "AC0123";
  s.sms.auth_token = "s3cret";
  s.sms.from = "+15550001111";
  return s;
}

// One delivery of the sample notification over `channel_name` to the receiver.
delivery_result send(test::http_receiver& receiver, std::string_view channel_name,
                     notification n = test::sample_notification()) {
  n.channel = channel_name;
  if (channel_name != "sms")
    n.target = receiver.url("/hook/" + std::string{channel_name});
  else
    n.target = "+15557654321";
  return make_channel(channel_name, settings_for(receiver))->notify(n);
}

// The one request the receiver got, as JSON.
json only_json_body(const test::http_receiver& receiver) {
  const auto requests = receiver.requests();
  BOOST_REQUIRE_EQUAL(requests.size(), 1u);
  return json::parse(requests[0].body);
}

std::string base64(std::string_view in) {
  static constexpr std::string_view abc =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size())
      v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size())
      v |= static_cast<unsigned char>(in[i + 2]);
    out += abc[v >> 18 & 63];
    out += abc[v >> 12 & 63];
    out += i + 1 < in.size() ? abc[v >> 6 & 63] : '=';
    out += i + 2 < in.size() ? abc[v & 63] : '=';
  }
  return out;
}

void check_common_headers(const test::received_request& r, std::string_view content_type) {
  BOOST_TEST(r.method == "POST");
  BOOST_TEST(r.headers.at("content-type") == content_type);
  BOOST_TEST(r.headers.at("x-heartbeatd-notification-id") == "42");
  BOOST_TEST(r.headers.at("user-agent") == "heartbeatd/" HEARTBEATD_VERSION);
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_channels)

BOOST_AUTO_TEST_CASE(webhook_posts_the_event_as_json) {
  test::http_receiver receiver;
  BOOST_TEST(!send(receiver, "webhook").has_value());
  const auto r = receiver.requests().at(0);
  BOOST_TEST(r.path == "/hook/webhook");
  check_common_headers(r, "application/json");
  const auto body = json::parse(r.body);
  BOOST_TEST(body["event"] == "down");
  BOOST_TEST(body["application"]["id"] == 7);
  BOOST_TEST(body["application"]["uuid"] == "0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11");
  BOOST_TEST(body["application"]["name"] == "billing-cron");
  BOOST_TEST(body["status"] == "down");
  BOOST_TEST(body["last_heartbeat"] == "2026-11-18T11:05:10.000000Z");
  BOOST_TEST(body["since"] == "2026-11-18T11:06:40.000000Z");
  BOOST_TEST(body["at"] == "2026-11-18T11:11:40.000000Z");
  BOOST_TEST(body["url"] == "https://hb.example.org/apps/0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11");
}

BOOST_AUTO_TEST_CASE(webhook_sends_null_for_an_app_never_seen) {
  test::http_receiver receiver;
  auto n = test::sample_notification(notification_kind::test);
  n.last_heartbeat.reset();
  BOOST_TEST(!send(receiver, "webhook", n).has_value());
  const auto body = only_json_body(receiver);
  BOOST_TEST(body["event"] == "test");
  BOOST_TEST(body["last_heartbeat"].is_null());
}

BOOST_AUTO_TEST_CASE(slack_posts_headline_text_and_link_blocks) {
  test::http_receiver receiver;
  auto n = test::sample_notification();
  n.application_name = "billing <cron> & co";
  BOOST_TEST(!send(receiver, "slack", n).has_value());
  const auto r = receiver.requests().at(0);
  BOOST_TEST(r.path == "/hook/slack");
  check_common_headers(r, "application/json");
  const auto body = json::parse(r.body);
  BOOST_TEST(body["text"].get<std::string>().find("billing &lt;cron&gt; &amp; co is DOWN") !=
             std::string::npos);
  BOOST_TEST(body["blocks"][0]["type"] == "section");
  BOOST_TEST(body["blocks"][0]["text"]["type"] == "mrkdwn");
  BOOST_TEST(body["blocks"][0]["text"]["text"].get<std::string>().find(
                 "It has been down since 2026-11-18T11:06:40Z") != std::string::npos);
  BOOST_TEST(body["blocks"][1]["type"] == "context");
  BOOST_TEST(body["blocks"][1]["elements"][0]["text"] ==
             "<" + n.application_url + "|Open billing &lt;cron&gt; &amp; co in heartbeatd>");
}

BOOST_AUTO_TEST_CASE(discord_posts_an_embed_coloured_by_kind) {
  const std::pair<notification_kind, int> colours[] = {{notification_kind::down, 0xD32F2F},
                                                       {notification_kind::up, 0x388E3C},
                                                       {notification_kind::reminder, 0xF57C00},
                                                       {notification_kind::test, 0x1976D2}};
  for (const auto& [kind, colour] : colours) {
    test::http_receiver receiver;
    receiver.respond({.status = 204, .body = ""});
    BOOST_TEST(!send(receiver, "discord", test::sample_notification(kind)).has_value());
    const auto r = receiver.requests().at(0);
    check_common_headers(r, "application/json");
    const auto body = json::parse(r.body);
    BOOST_TEST(body["content"].get<std::string>().find("billing-cron") != std::string::npos);
    const auto& embed = body["embeds"][0];
    BOOST_TEST(embed["color"] == colour);
    BOOST_TEST(embed["url"] == test::sample_notification().application_url);
    BOOST_TEST(embed["title"].get<std::string>().find("billing-cron") != std::string::npos);
    BOOST_TEST(embed["description"].get<std::string>().find("Status:") != std::string::npos);
    BOOST_TEST(embed["timestamp"] == "2026-11-18T11:06:40.000000Z");
    BOOST_TEST(body["allowed_mentions"]["parse"].empty());
  }
}

BOOST_AUTO_TEST_CASE(sms_posts_a_form_to_the_twilio_api_with_basic_auth) {
  test::http_receiver receiver;
  receiver.respond({.status = 201, .body = R"({"sid":"SM1"})"});
  BOOST_TEST(!send(receiver, "sms").has_value());
  const auto r = receiver.requests().at(0);
  BOOST_TEST(r.path == "/twilio/2010-04-01/Accounts/AC0123/Messages.json");
  check_common_headers(r, "application/x-www-form-urlencoded");
  BOOST_TEST(r.headers.at("authorization") == "Basic " + base64("AC0123:s3cret"));
  BOOST_TEST(r.body ==
             "To=%2B15557654321&From=%2B15550001111&Body=heartbeatd%3A%20billing-cron%20is%20DOWN"
             "%20since%202026-11-18T11%3A06%3A40Z.%20https%3A%2F%2Fhb.example.org%2Fapps%2F"
             "0b7e5f8e-1c1a-4a43-9d9b-2f8a4a2d9c11");
}

BOOST_AUTO_TEST_CASE(server_error_is_retryable_and_quotes_the_body) {
  test::http_receiver receiver;
  receiver.respond({.status = 500, .body = "database\n  on fire"});
  const auto error = send(receiver, "webhook");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_TEST(error->message == "HTTP 500: database on fire");
  BOOST_TEST(!error->retry_after.has_value());
}

BOOST_AUTO_TEST_CASE(too_many_requests_is_retried_after_the_time_asked) {
  test::http_receiver receiver;
  receiver.respond({.status = 429, .headers = {{"Retry-After", "7"}}, .body = "slow down"});
  const auto error = send(receiver, "slack");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_TEST((error->retry_after == std::chrono::seconds{7}));
  BOOST_TEST(error->message == "HTTP 429: slow down");
}

BOOST_AUTO_TEST_CASE(retry_after_may_be_an_http_date) {
  test::http_receiver receiver;
  auto date = rfc5322_date(system_now() + 1h); // "Wed, 18 Nov 2026 12:06:40 +0000"
  date.replace(date.size() - 5, 5, "GMT");
  receiver.respond({.status = 503, .headers = {{"Retry-After", date}}});
  const auto error = send(receiver, "webhook");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_REQUIRE(error->retry_after.has_value());
  BOOST_TEST(error->retry_after->count() > 3500);
  BOOST_TEST(error->retry_after->count() <= 3600);
}

BOOST_AUTO_TEST_CASE(client_error_is_permanent_with_a_short_excerpt) {
  test::http_receiver receiver;
  receiver.respond({.status = 400, .body = std::string(1000, 'e')});
  const auto error = send(receiver, "discord");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->permanent);
  BOOST_TEST(error->message.starts_with("HTTP 400: eeee"));
  BOOST_TEST(error->message.size() <= 200 + std::string{"HTTP 400: "}.size());
}

BOOST_AUTO_TEST_CASE(redirects_are_not_followed) {
  test::http_receiver receiver;
  receiver.respond({.status = 301, .headers = {{"Location", receiver.url("/elsewhere")}}});
  const auto error = send(receiver, "webhook");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->permanent);
  BOOST_TEST(receiver.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(refused_connection_is_retryable) {
  auto n = test::sample_notification();
  n.target = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/hook";
  channel_settings s;
  s.timeout = test_timeout;
  const auto error = make_channel("webhook", s)->notify(n);
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_TEST(!error->message.empty());
}

BOOST_AUTO_TEST_CASE(silent_receiver_times_out_within_the_configured_timeout) {
  test::http_receiver receiver;
  receiver.respond({.never_answer = true});
  const auto start = std::chrono::steady_clock::now();
  const auto error = send(receiver, "webhook");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(!error->permanent);
  BOOST_TEST(error->message.starts_with("no answer within 300 ms"), error->message);
  // libcurl measures from its own start, a little after ours, with millisecond resolution.
  BOOST_TEST(elapsed >= test_timeout - 20ms);
  BOOST_TEST(elapsed < test_timeout + 700ms);
}

BOOST_AUTO_TEST_CASE(one_channel_keeps_its_connection_alive) {
  test::http_receiver receiver;
  channel_settings s = settings_for(receiver);
  auto webhook = make_channel("webhook", s);
  auto n = test::sample_notification();
  n.target = receiver.url("/hook");
  BOOST_TEST(!webhook->notify(n).has_value());
  BOOST_TEST(!webhook->notify(n).has_value());
  const auto requests = receiver.requests();
  BOOST_REQUIRE_EQUAL(requests.size(), 2u);
  BOOST_TEST(requests[0].connection == requests[1].connection);
}

BOOST_AUTO_TEST_SUITE_END()
