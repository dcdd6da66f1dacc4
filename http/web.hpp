#pragma once

#include "http/api.hpp"
#include "http/api_types.hpp"
#include "http/login_limiter.hpp"
#include "http/session_store.hpp"
#include "http/web_view.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace hb {

/// Who may reach a web UI route, checked before its handler runs (web_ui::admit).
enum class web_access {
  open, ///< anyone: the login page, static files
  page, ///< a signed-in session; otherwise a redirect to the login page
  form, ///< a signed-in session and the form's CSRF token; otherwise 403
  json, ///< a signed-in session; otherwise 401 JSON (the dashboard's live refresh)
};

struct web_options {
  std::chrono::seconds session_idle_timeout{3600};
  std::chrono::seconds session_max_age{12 * 3600};
  bool secure_cookies = false;                      ///< HEARTBEATD_PUBLIC_URL is https
  std::chrono::milliseconds refresh_interval{5000}; ///< how often the dashboard polls
};

/// The web admin UI: server-rendered pages (templates/web/) over the same reads and the same
/// validated changes as the JSON API, which it calls for every change so that the rules live in
/// one place. Like api, no RESTinio types: only http/server.cpp pays for compiling RESTinio.
class web_ui : public std::enable_shared_from_this<web_ui> {
public:
  web_ui(std::shared_ptr<api> api, web_options options);

  /// Checks the session (and for forms the CSRF token) and sets `req.csrf`; returns the answer
  /// for a request that may not go on.
  std::optional<api_response> admit(api_request& req, web_access access) const;

  void login_page(const api_request& req, const responder& respond) const;
  void login(const api_request& req, const responder& respond) const;
  void logout(const api_request& req, const responder& respond) const;

  void dashboard(const api_request& req, const responder& respond) const;
  void dashboard_json(const api_request& req, const responder& respond) const;

  void application_page(const api_request& req, const responder& respond) const;
  /// GET /applications/{id}/status.json: what the application page refreshes by itself.
  void application_status(const api_request& req, const responder& respond) const;
  /// GET /applications: the list lives at /, where this sends the browser.
  void applications_index(const api_request& req, const responder& respond) const;
  void new_application(const api_request& req, const responder& respond) const;
  void create_application(const api_request& req, const responder& respond) const;
  void edit_application(const api_request& req, const responder& respond) const;
  void update_application(const api_request& req, const responder& respond) const;
  void confirm_delete(const api_request& req, const responder& respond) const;
  void delete_application(const api_request& req, const responder& respond) const;
  void pause_application(const api_request& req, const responder& respond) const;
  void resume_application(const api_request& req, const responder& respond) const;

  void add_alert(const api_request& req, const responder& respond) const;
  void edit_alert(const api_request& req, const responder& respond) const;
  void update_alert(const api_request& req, const responder& respond) const;
  void enable_alert(const api_request& req, const responder& respond) const;
  void disable_alert(const api_request& req, const responder& respond) const;
  void delete_alert(const api_request& req, const responder& respond) const;
  void test_alert(const api_request& req, const responder& respond) const;

  /// GET /static/{file}: the CSS and JavaScript compiled into the binary.
  void static_asset(const api_request& req, const responder& respond) const;

  const api& json_api() const { return *api_; }

private:
  /// The application page; `alert_form` is what its add-alert form shows (values and error).
  void render_application(const api_request& req, const responder& respond, int status,
                          const web::alert_form_state& alert_form) const;
  using with_row = std::function<void(soci::session&, const application_record&)>;
  /// Reads the application the route's id names, on a read thread, and calls `then` with it;
  /// answers the 404 page when there is none and the 503 page when the database is away.
  void with_application(const api_request& req, const responder& respond, with_row then) const;
  /// Sets is_active through the API and comes back to the application page.
  void set_active(const api_request& req, const responder& respond, bool active) const;
  /// Sets an alert's enabled flag through the API and comes back to the application page.
  void set_alert_enabled(const api_request& req, const responder& respond, bool enabled) const;

  std::shared_ptr<api> api_;
  web_options options_;
  /// Password checks queued or running at most; more sign-ins at once are answered 503.
  static constexpr std::size_t max_password_checks = 2;

  std::unique_ptr<session_store> sessions_;
  std::unique_ptr<login_limiter> limiter_;
  std::shared_ptr<std::atomic<std::size_t>> password_checks_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

} // namespace hb
