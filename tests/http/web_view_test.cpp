#include "http/web_support.hpp"
#include "http/web_timeline.hpp"
#include "http/web_view.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;
using namespace std::chrono_literals;

namespace {

const timestamp t0 = from_micros(1'800'000'000'000'000);

std::string header(const api_response& res, std::string_view name) {
  for (const auto& [k, v] : res.headers)
    if (k == name)
      return v;
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(web_view)

BOOST_AUTO_TEST_CASE(every_template_is_compiled_in_and_parses) {
  BOOST_CHECK_NO_THROW(web::check_templates());
  BOOST_CHECK_THROW(web::render("no-such-page", {}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(user_text_is_escaped_in_pages) {
  web::view_data d;
  d.set("csrf", "token");
  d.set("name", "<script>alert(1)</script>\" onmouseover='x'");
  d.set("base", "/applications/1");
  const auto html = web::page({"<b>title</b>", "token", "", 0}, "confirm_delete", d);
  BOOST_TEST(html.find("<script>alert(1)") == std::string::npos);
  BOOST_TEST(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&apos;x&apos;") !=
             std::string::npos);
  BOOST_TEST(html.find("<b>title</b>") == std::string::npos);
  // The layout's logout form carries the session's CSRF token.
  BOOST_TEST(html.find(R"(name="csrf" value="token")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pages_carry_the_security_headers) {
  auto res = web::error_page(404, "gone", "");
  BOOST_TEST(res.status == 404);
  BOOST_TEST(res.content_type == "text/html; charset=utf-8");
  const auto csp = header(res, "Content-Security-Policy");
  BOOST_TEST(csp.find("script-src 'self'") != std::string::npos);
  BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
  BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos);
  BOOST_TEST(header(res, "X-Frame-Options") == "DENY");
  BOOST_TEST(header(res, "Referrer-Policy") == "same-origin");
  auto moved = web::redirect("/x");
  BOOST_TEST(moved.status == 303);
  BOOST_TEST(header(moved, "Location") == "/x");
}

BOOST_AUTO_TEST_CASE(cookies_are_read_and_written_safely) {
  api_request req;
  req.cookie = "other=1; hb_session=abc=def;  hb_login=xyz";
  BOOST_TEST(web::cookie_value(req, "hb_session").value_or("") == "abc=def");
  BOOST_TEST(web::cookie_value(req, "hb_login").value_or("") == "xyz");
  BOOST_TEST(!web::cookie_value(req, "session").has_value());
  BOOST_TEST(web::cookie_header("hb_session", "v", false) ==
             "hb_session=v; Path=/; HttpOnly; SameSite=Strict");
  BOOST_TEST(web::cookie_header("hb_session", "", true, 0s) ==
             "hb_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

BOOST_AUTO_TEST_CASE(the_csrf_check_needs_the_sessions_token) {
  api_request req;
  req.csrf = "secret-token";
  BOOST_TEST(!web::csrf_ok(req));
  req.form["csrf"] = "secret-tokeX";
  BOOST_TEST(!web::csrf_ok(req));
  req.form["csrf"] = "secret-token";
  BOOST_TEST(web::csrf_ok(req));
  req.csrf.clear(); // no session: no token can match
  req.form["csrf"] = "";
  BOOST_TEST(!web::csrf_ok(req));
}

BOOST_AUTO_TEST_CASE(a_login_redirect_stays_on_this_server) {
  BOOST_TEST(web::safe_next("/applications/3?x=1") == "/applications/3?x=1");
  BOOST_TEST(web::safe_next("//evil.example/") == "/");
  BOOST_TEST(web::safe_next("/\\evil.example/") == "/");
  BOOST_TEST(web::safe_next("https://evil.example/") == "/");
  BOOST_TEST(web::safe_next("") == "/");
  BOOST_TEST(web::safe_next("/a\r\nSet-Cookie: x") == "/");
  BOOST_TEST(web::url_encode("a b&c/é") == "a%20b%26c%2F%C3%A9");
}

BOOST_AUTO_TEST_CASE(times_read_like_people_say_them) {
  BOOST_TEST(web::relative_time(t0, t0 + 2s) == "just now");
  BOOST_TEST(web::relative_time(t0, t0 + 45s) == "45 seconds ago");
  BOOST_TEST(web::relative_time(t0, t0 + 61s) == "1 minute ago");
  BOOST_TEST(web::relative_time(t0, t0 + 150min) == "2 hours ago");
  BOOST_TEST(web::relative_time(t0 + 3min, t0) == "in 3 minutes");
  BOOST_TEST(web::relative_time(t0, t0 + 72h) == "3 days ago");
  BOOST_TEST(web::exact_time(t0 + 500ms) == "2027-01-15 08:00:00 UTC");
  BOOST_TEST(web::human_seconds(45) == "45 s");
  BOOST_TEST(web::human_seconds(300) == "5 min");
  BOOST_TEST(web::human_seconds(5400) == "1 h 30 min");
  BOOST_TEST(web::human_seconds(172800) == "2 d");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(web_timeline)

BOOST_AUTO_TEST_CASE(spans_follow_the_stored_changes_across_the_last_day) {
  const auto now = t0 + 48h;
  // Newest first, as stored: up 30 h ago, down 6 h ago, up 3 h ago.
  const std::vector<status_change_row> changes{
      {"down", "up", now - 3h}, {"up", "down", now - 6h}, {"new", "up", now - 30h}};
  const auto t = web::build_timeline(t0, true, changes, {}, now);
  BOOST_TEST_REQUIRE(t.spans.size() == 3u);
  BOOST_TEST(t.spans[0].status == "up"); // the status when the window opened
  BOOST_TEST(t.spans[0].x == 0.0);
  BOOST_TEST(t.spans[0].width == 750.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(t.spans[1].status == "down");
  BOOST_TEST(t.spans[1].x == 750.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(t.spans[1].width == 125.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(t.spans[2].status == "up");
  BOOST_TEST(t.spans[2].x + t.spans[2].width == 1000.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_young_application_has_no_span_before_it_existed) {
  const auto now = t0 + 12h;
  const std::vector<status_change_row> changes{{"new", "up", t0 + 6h}};
  const auto t = web::build_timeline(t0, true, changes, {}, now);
  BOOST_TEST_REQUIRE(t.spans.size() == 2u);
  BOOST_TEST(t.spans[0].status == "new");
  BOOST_TEST(t.spans[0].x == 500.0, boost::test_tools::tolerance(1e-9)); // created 12 h ago
  BOOST_TEST(t.spans[1].status == "up");
}

BOOST_AUTO_TEST_CASE(when_every_change_shown_is_recent_the_oldest_says_what_came_before) {
  const auto now = t0 + 48h;
  const std::vector<status_change_row> changes{{"down", "up", now - 1h}};
  const auto t = web::build_timeline(t0, false, changes, {}, now);
  BOOST_TEST_REQUIRE(t.spans.size() == 2u);
  BOOST_TEST(t.spans[0].status == "down");
  BOOST_TEST(t.spans[1].status == "paused"); // paused now
}

BOOST_AUTO_TEST_CASE(ticks_mark_the_slots_with_heartbeats_and_count_them_all) {
  const auto now = t0 + 48h;
  const std::vector<heartbeat_bucket> slots{{0, 60}, {500, 1}, {999, 30}};
  const auto t = web::build_timeline(t0, true, {}, slots, now);
  BOOST_TEST_REQUIRE(t.ticks.size() == 3u);
  BOOST_TEST(t.ticks[0] == 0.5);
  BOOST_TEST(t.ticks[1] == 500.5);
  BOOST_TEST(t.ticks[2] == 999.5);
  BOOST_TEST(t.heartbeats == 91);
}

BOOST_AUTO_TEST_CASE(cron_lines_never_run_less_often_than_expected) {
  BOOST_TEST(web::cron_schedule(30) == "* * * * *");
  BOOST_TEST(web::cron_schedule(60) == "* * * * *");
  BOOST_TEST(web::cron_schedule(300) == "*/5 * * * *");
  BOOST_TEST(web::cron_schedule(420) == "*/6 * * * *"); // 7 min: cron cannot; every 6
  BOOST_TEST(web::cron_schedule(3600) == "0 * * * *");
  BOOST_TEST(web::cron_schedule(6 * 3600) == "0 */6 * * *");
  BOOST_TEST(web::cron_schedule(86400) == "0 0 * * *");
}

BOOST_AUTO_TEST_SUITE_END()
