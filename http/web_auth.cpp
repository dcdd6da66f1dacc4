// The web UI's sign-in: login, logout, the session check every page passes, and static files.

#include "http/web.hpp"
#include "http/web_embedded.hpp"
#include "http/web_support.hpp"
#include "http/web_view.hpp"
#include "persistence/read_pool.hpp"
#include "util/secrets.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

/// The login cookie lives as long as a login form may sit open in a tab.
constexpr std::chrono::seconds login_cookie_age{3600};

/// One of the password checks counted by web_ui::password_checks_, from start to end.
struct check_slot {
  std::shared_ptr<std::atomic<std::size_t>> count;
  explicit check_slot(std::shared_ptr<std::atomic<std::size_t>> c) : count{std::move(c)} {}
  check_slot(const check_slot&) = delete;
  check_slot& operator=(const check_slot&) = delete;
  ~check_slot() { --*count; }
};

api_response login_form(int status, const std::string& token, const std::string& next,
                        const std::string& error, bool secure) {
  web::view_data d;
  d.set("csrf", token);
  d.set("next", next);
  d.set("has_error", !error.empty());
  d.set("error", error);
  auto res = web::html_response(status, web::page({"Sign in", "", "", 0}, "login", d));
  res.headers.emplace_back("Set-Cookie",
                           web::cookie_header(web::login_cookie, token, secure, login_cookie_age));
  return res;
}

/// The path and query a signed-out visitor asked for, to come back to after login.
std::string requested_target(const api_request& req) {
  auto target = req.path;
  char sep = '?';
  for (const auto& [key, value] : req.query) {
    target += fmt::format("{}{}={}", sep, web::url_encode(key), web::url_encode(value));
    sep = '&';
  }
  return target;
}

} // namespace

web_ui::web_ui(std::shared_ptr<api> api, web_options options)
    : api_{std::move(api)}, options_{options}, sessions_{std::make_unique<session_store>(
                                                   options_.session_idle_timeout,
                                                   options_.session_max_age)},
      limiter_{std::make_unique<login_limiter>()} {
  web::check_templates();
}

std::optional<api_response> web_ui::admit(api_request& req, web_access access) const {
  if (access == web_access::open)
    return std::nullopt;
  std::optional<std::string> csrf;
  if (auto id = web::cookie_value(req, web::session_cookie))
    csrf = sessions_->touch(*id, api_->context().now(), access != web_access::json,
                            api_->context().secrets->password_generation());
  if (!csrf) {
    switch (access) {
    case web_access::json:
      return error_response(401, "not signed in");
    case web_access::page:
      return web::redirect("/login?next=" + web::url_encode(requested_target(req)));
    default:
      return web::redirect("/login");
    }
  }
  req.csrf = *csrf;
  if (access == web_access::form && !web::csrf_ok(req))
    return web::error_page(403,
                           "This form's CSRF token is missing or out of date, so nothing was "
                           "changed. Reload the page and try again.",
                           req.csrf);
  return std::nullopt;
}

void web_ui::login_page(const api_request& req, const responder& respond) const {
  if (auto id = web::cookie_value(req, web::session_cookie);
      id && sessions_->touch(*id, api_->context().now(), true,
                             api_->context().secrets->password_generation()))
    return respond(web::redirect("/"));
  auto next = req.query.contains("next") ? web::safe_next(req.query.at("next")) : "/";
  respond(login_form(200, random_base64url(32), next, "", options_.secure_cookies));
}

void web_ui::login(const api_request& req, const responder& respond) const {
  // Login CSRF: the form's token must match the cookie set with the form (double submit).
  const auto token = web::cookie_value(req, web::login_cookie).value_or("");
  const auto sent = web::form_value(req, "csrf");
  const auto next = web::safe_next(web::form_value(req, "next"));
  if (token.empty() || !token_matches(sent, hash_token(token)))
    return respond(login_form(403, random_base64url(32), next,
                              "The sign-in form had expired. Please try again.",
                              options_.secure_cookies));
  // argon2id takes tens of milliseconds and 64 MiB: a read thread does it, not an HTTP one,
  // and only a few at a time, so guessing cannot take the reads (or the memory) over.
  if (password_checks_->fetch_add(1) >= max_password_checks) {
    --*password_checks_;
    auto res = web::error_page(503, "The server is busy checking other sign-ins; try again.", "");
    res.headers.emplace_back("Retry-After", "1");
    return respond(std::move(res));
  }
  // Frees the place when the check is over, however it ends (done, failed, never run).
  auto slot = std::make_shared<check_slot>(password_checks_);
  if (auto wait = limiter_->try_begin(req.remote_addr, api_->context().now())) {
    auto res = web::error_page(
        429,
        fmt::format("Too many failed logins from your address. Try again in {} s.", wait->count()),
        "");
    res.headers.emplace_back("Retry-After", std::to_string(wait->count()));
    return respond(std::move(res));
  }
  auto self = shared_from_this();
  api_->context().reads->post(
      [self, req, respond, next, token, slot](soci::session&) {
        // Read together: a session signed in with a password that has just been replaced
        // belongs to the old one, and ends with it.
        const auto password = self->api_->context().secrets->password();
        const bool ok = password_matches(web::form_value(req, "password"), password.hash);
        const auto at = self->api_->context().now();
        if (!ok) {
          self->api_->context().log->warn("web UI: failed login from {}", req.remote_addr);
          return respond(
              login_form(401, token, next, "Wrong password.", self->options_.secure_cookies));
        }
        self->limiter_->succeeded(req.remote_addr);
        // Always a new id at login: a session id planted before it is worth nothing.
        if (auto old = web::cookie_value(req, web::session_cookie))
          self->sessions_->remove(*old);
        auto session = self->sessions_->create(at, password.generation);
        self->api_->context().log->info("web UI: login from {}", req.remote_addr);
        auto res = web::redirect(next);
        res.headers.emplace_back("Set-Cookie", web::cookie_header(web::session_cookie, session.id,
                                                                  self->options_.secure_cookies));
        res.headers.emplace_back("Set-Cookie", web::cookie_header(web::login_cookie, "",
                                                                  self->options_.secure_cookies,
                                                                  std::chrono::seconds{0}));
        respond(std::move(res));
      },
      [respond, slot](const std::string&) {
        respond(web::error_page(503, "The server is busy; please try again.", ""));
      });
}

void web_ui::logout(const api_request& req, const responder& respond) const {
  if (auto id = web::cookie_value(req, web::session_cookie))
    sessions_->remove(*id);
  auto res = web::redirect("/login");
  res.headers.emplace_back("Set-Cookie",
                           web::cookie_header(web::session_cookie, "", options_.secure_cookies,
                                              std::chrono::seconds{0}));
  respond(std::move(res));
}

void web_ui::static_asset(const api_request& req, const responder& respond) const {
  auto it = req.params.find("file");
  const auto name = it == req.params.end() ? std::string{} : it->second;
  const auto body = web::embedded_asset(name);
  if (!body)
    return respond(web::error_page(404, "There is no such file.", ""));
  const auto type = name.ends_with(".css")   ? "text/css; charset=utf-8"
                    : name.ends_with(".js")  ? "text/javascript; charset=utf-8"
                    : name.ends_with(".svg") ? "image/svg+xml"
                                             : "application/octet-stream";
  api_response res{200, std::string{*body}, type, {}};
  // Links carry ?v=<version>: a new release is a new URL, so browsers may keep these a day.
  res.headers.emplace_back("Cache-Control", "public, max-age=86400");
  web::add_security_headers(res);
  respond(std::move(res));
}

} // namespace hb
