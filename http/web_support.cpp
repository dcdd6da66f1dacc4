#include "http/web_support.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>

namespace hb::web {

void add_security_headers(api_response& res) {
  // Scripts and styles come from /static only; forms post back here only; no page may frame
  // ours (clickjacking); no URL with an application id leaks to other sites.
  res.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'self'; style-src 'self'; "
                           "img-src 'self'; connect-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("Referrer-Policy", "same-origin");
}

api_response html_response(int status, std::string body) {
  api_response res{status, std::move(body), "text/html; charset=utf-8", {}};
  add_security_headers(res);
  return res;
}

api_response redirect(std::string location) {
  api_response res{303, "", "", {}};
  res.headers.emplace_back("Location", std::move(location));
  add_security_headers(res);
  return res;
}

std::optional<std::string> cookie_value(const api_request& req, std::string_view name) {
  if (!req.cookie)
    return std::nullopt;
  std::string_view rest{*req.cookie};
  while (!rest.empty()) {
    auto end = rest.find(';');
    auto pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ')
      pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string{pair.substr(eq + 1)};
  }
  return std::nullopt;
}

std::string cookie_header(std::string_view name, std::string_view value, bool secure,
                          std::optional<std::chrono::seconds> max_age) {
  auto out = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", name, value);
  if (max_age)
    out += fmt::format("; Max-Age={}", max_age->count());
  if (secure)
    out += "; Secure";
  return out;
}

std::string form_value(const api_request& req, std::string_view name) {
  auto it = req.form.find(std::string{name});
  return it == req.form.end() ? std::string{} : it->second;
}

bool csrf_ok(const api_request& req) {
  const auto sent = form_value(req, "csrf");
  return !req.csrf.empty() && sent.size() == req.csrf.size() &&
         sodium_memcmp(sent.data(), req.csrf.data(), sent.size()) == 0;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string safe_next(std::string_view next) {
  // "//host" and "/\host" are other sites to browsers.
  if (next.size() < 1 || next.front() != '/' ||
      (next.size() > 1 && (next[1] == '/' || next[1] == '\\')))
    return "/";
  for (unsigned char c : next)
    if (c < 0x20 || c == 0x7f)
      return "/";
  return std::string{next};
}

namespace {

std::string count_of(std::int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

} // namespace

std::string relative_time(timestamp t, timestamp now) {
  using namespace std::chrono;
  const auto diff = duration_cast<seconds>(now - t).count();
  const auto span = diff < 0 ? -diff : diff;
  if (span < 5)
    return "just now";
  std::string amount;
  if (span < 60)
    amount = count_of(span, "second");
  else if (span < 3600)
    amount = count_of(span / 60, "minute");
  else if (span < 86400)
    amount = count_of(span / 3600, "hour");
  else
    amount = count_of(span / 86400, "day");
  return diff < 0 ? "in " + amount : amount + " ago";
}

std::string exact_time(timestamp t) {
  auto text = to_iso8601(t).substr(0, 19); // UTC whatever the host's TZ
  text[10] = ' ';
  return text + " UTC";
}

std::string human_seconds(std::int64_t seconds) {
  if (seconds < 60)
    return fmt::format("{} s", seconds);
  if (seconds < 3600)
    return seconds % 60 == 0 ? fmt::format("{} min", seconds / 60)
                             : fmt::format("{} min {} s", seconds / 60, seconds % 60);
  if (seconds < 86400)
    return seconds % 3600 == 0 ? fmt::format("{} h", seconds / 3600)
                               : fmt::format("{} h {} min", seconds / 3600, seconds % 3600 / 60);
  return seconds % 86400 == 0 ? fmt::format("{} d", seconds / 86400)
                              : fmt::format("{} d {} h", seconds / 86400, seconds % 86400 / 3600);
}

} // namespace hb::web
