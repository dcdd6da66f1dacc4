#pragma once

#include "http/api_types.hpp"
#include "util/time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Small pieces every web UI page uses: HTML answers with the security headers, redirects,
/// cookies, form fields and how times read to people.
namespace hb::web {

inline constexpr std::string_view session_cookie = "hb_session";
/// Before login there is no session: the login form's CSRF token is a cookie it must match.
inline constexpr std::string_view login_cookie = "hb_login";

/// The headers every web UI answer carries: no inline script, no framing, no sniffing.
void add_security_headers(api_response& res);

api_response html_response(int status, std::string body);

/// 303 See Other to `location` (a local path).
api_response redirect(std::string location);

/// The value of cookie `name` in the request's Cookie header.
std::optional<std::string> cookie_value(const api_request& req, std::string_view name);

/// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure when `secure`.
/// `max_age` 0 deletes the cookie; unset makes it a browser-session cookie.
std::string cookie_header(std::string_view name, std::string_view value, bool secure,
                          std::optional<std::chrono::seconds> max_age = std::nullopt);

/// The form field `name`, or "" when absent.
std::string form_value(const api_request& req, std::string_view name);

/// Whether the form's `csrf` field equals the session's token (constant time).
bool csrf_ok(const api_request& req);

/// Percent-encodes everything but unreserved characters (for query strings in links).
std::string url_encode(std::string_view text);

/// `next` when it is a path on this server, else "/": a login link must not send people away.
std::string safe_next(std::string_view next);

/// "just now", "5 seconds ago", "2 minutes ago", "in 3 hours", ...
std::string relative_time(timestamp t, timestamp now);

/// "2026-11-28 05:16:34 UTC"
std::string exact_time(timestamp t);

/// "45 s", "5 min", "1 h 30 min", "2 d" for a number of seconds (0: "0 s").
std::string human_seconds(std::int64_t seconds);

} // namespace hb::web
