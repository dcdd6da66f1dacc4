#include "http/web_support.hpp"
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
