#include "http/server.hpp"

#include "http/api.hpp"
#include "http/front_door.hpp"
#include "http/web.hpp"
#include "http/web_support.hpp"
#include "http/web_view.hpp"

#include <restinio/all.hpp>
#include <restinio/router/pcre2_regex_engine.hpp>

#include <algorithm>
#include <stdexcept>

namespace hb {

namespace {

// PCRE2 rather than the default std::regex: matching a route with std::regex (and the locale
// look-ups it makes for every character class) was about 5% of the server's CPU under heartbeats.
// DOLLAR_ENDONLY: `$` matches only at the very end, as in std::regex (PCRE2 would also match
// before a final newline).
using router_t = restinio::router::express_router_t<restinio::router::pcre2_regex_engine_t<
    restinio::router::pcre2_traits_t<20, PCRE2_DOLLAR_ENDONLY>>>;

using front_door = heartbeat_front_door<router_t>;
using traits_t =
    restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t, front_door>;
using handler_t = void (api::*)(const api_request&, const responder&) const;
using web_handler_t = void (web_ui::*)(const api_request&, const responder&) const;

// RESTinio sets no limits of its own (STACK.md). Past these it drops the connection without an
// answer; the per-route body limits below answer 413 instead.
constexpr std::size_t max_url_size = std::size_t{8} * 1024;
constexpr std::size_t max_field_name_size = 256;
constexpr std::size_t max_field_value_size = std::size_t{8} * 1024;
constexpr std::size_t max_field_count = 64;
constexpr std::size_t max_connection_body = std::size_t{1024} * 1024;
constexpr std::size_t max_api_body = std::size_t{64} * 1024;
constexpr std::size_t max_heartbeat_body = std::size_t{10} * 1024;
constexpr std::size_t max_login_body = std::size_t{4} * 1024; // a password and two tokens

struct route_spec {
  route id;
  std::size_t max_body;
  bool needs_token;
  /// The web UI's forms: an application/x-www-form-urlencoded body is parsed into fields. Only
  /// there: curl sends that content type by default, with JSON or any text as the body.
  bool form_body = false;
};

constexpr route_spec heartbeat_route{route::heartbeat, max_heartbeat_body, false};

restinio::http_status_line_t status_line(int code) {
  const char* reason = [code] {
    switch (code) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 303:
      return "See Other";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return code < 500 ? "Client Error" : "Server Error";
    }
  }();
  return restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(code)}, reason};
}

} // namespace

struct http_server::impl {
  http_options options;
  std::shared_ptr<const logger> log;
  std::shared_ptr<api> handlers;
  std::shared_ptr<web_ui> web;
  std::shared_ptr<http_metrics> metrics;
  // Kept after stop(), until the server object goes (after the actor system in main): an answer
  // that a stopping actor still gives posts into a stopped but living io_context.
  restinio::running_server_handle_t<traits_t> running;
  bool stopped = false;

  /// Answers `req` with `res`; counts and logs it. Safe from any thread (RESTinio dispatches the
  /// write onto the connection's own executor).
  void send(const restinio::request_handle_t& req, route r, bool head,
            std::chrono::steady_clock::time_point started, api_response res) const {
    send(req, r, head, started, std::move(res), *metrics);
  }

  // Answers may arrive after stop() released the handlers: only what the answer itself holds
  // (`counters`) and what outlives the actors (options, log) is used here.
  void send(const restinio::request_handle_t& req, route r, bool head,
            std::chrono::steady_clock::time_point started, api_response res,
            http_metrics& counters) const {
    const bool web_route = r == route::ui || r == route::ui_static;
    if (web_route && std::none_of(res.headers.begin(), res.headers.end(), [](const auto& h) {
          return h.first == "Content-Security-Policy";
        }))
      web::add_security_headers(res); // answers made here (405, 413, 400) or JSON ones
    auto out = req->create_response(status_line(res.status));
    if (!res.content_type.empty())
      out.append_header(restinio::http_field::content_type, res.content_type);
    const bool cache_set = std::any_of(res.headers.begin(), res.headers.end(),
                                       [](const auto& h) { return h.first == "Cache-Control"; });
    if (!cache_set)
      out.append_header(restinio::http_field::cache_control, "no-store");
    out.append_header("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : res.headers)
      out.append_header(name, value);
    if (!head)
      out.set_body(std::move(res.body));
    // Counted before it is sent: a client that reads /metrics right after sees its request.
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    counters.observe(r, res.status, took);
    out.done();
    const bool log_it = options.log_requests == access_log::all ||
                        (options.log_requests == access_log::api && r != route::heartbeat);
    if (log_it) // a heartbeat's path is its capability: not in logs
      log->info("{} {} {} {:.1f} ms", req->header().method().c_str(),
                r == route::heartbeat ? std::string_view{"/heartbeat/..."} : req->header().path(),
                res.status, static_cast<double>(took.count()) / 1000.0);
  }

  api_request convert(const restinio::request_handle_t& req,
                      const restinio::router::route_params_t& params,
                      const route_spec& spec) const {
    api_request out;
    out.method = req->header().method().c_str();
    out.path = std::string{req->header().path()};
    for (const auto& name : {"uuid", "id", "alert_id", "file"})
      if (auto value = params.get_param(name))
        out.params[name] = std::string{*value};
    // Relaxed: browsers send some characters unescaped in a GET form's query (e.g. '*'). A
    // heartbeat takes no parameters: whatever a script appends cannot make it fail (as on the
    // front door's path).
    if (spec.id != route::heartbeat)
      for (const auto& [key, value] :
           restinio::parse_query<restinio::parse_query_traits::relaxed>(req->header().query()))
        out.query[std::string{key}] = std::string{value};
    if (auto auth = req->header().opt_value_of(restinio::http_field::authorization))
      out.authorization = std::string{*auth};
    if (auto cookie = req->header().opt_value_of(restinio::http_field::cookie))
      out.cookie = std::string{*cookie};
    const auto type = req->header().opt_value_of(restinio::http_field::content_type);
    if (spec.form_body && type && type->starts_with("application/x-www-form-urlencoded"))
      for (const auto& [key, value] :
           restinio::parse_query<restinio::parse_query_traits::x_www_form_urlencoded>(req->body()))
        out.form[std::string{key}] = std::string{value};
    out.remote_addr = req->remote_endpoint().address().to_string();
    out.body = req->body();
    out.received_at = system_now();
    return out;
  }

  /// Answers the request through send(), timed from now.
  auto responder_for(const restinio::request_handle_t& req, route r) const {
    const auto started = std::chrono::steady_clock::now();
    const bool head = req->header().method() == restinio::http_method_head();
    return [this, req, r, head, started, counters = metrics](api_response res) {
      send(req, r, head, started, std::move(res), *counters);
    };
  }

  /// Answers 413 when the body is larger than the route takes.
  template <class Respond>
  bool refused_for_size(const restinio::request_handle_t& req, const route_spec& spec,
                        Respond& respond) const {
    if (req->body().size() <= spec.max_body)
      return false;
    if (spec.id == route::heartbeat)
      metrics->heartbeat(heartbeat_result::rejected);
    respond(error_response(413, fmt::format("body larger than {} bytes", spec.max_body)));
    return true;
  }

  /// A heartbeat from the front door: the same answers as through the router, without the
  /// api_request that other routes need (query, headers, body copies).
  restinio::request_handling_status_t heartbeat(const restinio::request_handle_t& req,
                                                std::string_view uuid) const {
    auto respond = responder_for(req, route::heartbeat);
    if (!refused_for_size(req, heartbeat_route, respond))
      handlers->heartbeat(uuid, system_now(), req->remote_endpoint().address().to_string(),
                          responder{respond});
    return restinio::request_accepted();
  }

  /// A RESTinio handler that checks body size and token, then calls `call(request, respond)`.
  template <class Call> auto handler(route_spec spec, Call call) {
    return [this, spec, call](const restinio::request_handle_t& req,
                              restinio::router::route_params_t params) {
      auto respond = responder_for(req, spec.id);
      if (refused_for_size(req, spec, respond))
        return restinio::request_accepted();
      api_request request;
      try {
        request = convert(req, params, spec);
      } catch (const std::exception& e) {
        respond(error_response(400, std::string{"malformed request: "} + e.what()));
        return restinio::request_accepted();
      }
      if (spec.needs_token && !handlers->authorized(request)) {
        auto res = error_response(401, "missing or wrong bearer token");
        res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"heartbeatd\"");
        respond(std::move(res));
        return restinio::request_accepted();
      }
      call(request, responder{respond});
      return restinio::request_accepted();
    };
  }

  /// A JSON API route: `h` of the api.
  auto handler(route_spec spec, handler_t h) {
    return handler(spec, [this, h](api_request& request, const responder& respond) {
      ((*handlers).*h)(request, respond);
    });
  }

  /// A web UI route: `h` of the web UI, once `access` admits the request.
  auto page(route_spec spec, web_access access, web_handler_t h) {
    return handler(spec, [this, access, h](api_request& request, const responder& respond) {
      if (auto denied = web->admit(request, access))
        return respond(std::move(*denied));
      ((*web).*h)(request, respond);
    });
  }

  /// 405 for the methods a path does not take.
  void refuse_other_methods(router_t& router, const char* path, route id, const char* allow,
                            std::initializer_list<restinio::http_method_id_t> methods) {
    auto answer = [this, id, allow](const restinio::request_handle_t& req, auto) {
      auto res = error_response(405, fmt::format("method not allowed; use {}", allow));
      res.headers.emplace_back("Allow", allow);
      send(req, id, false, std::chrono::steady_clock::now(), std::move(res));
      return restinio::request_accepted();
    };
    if (methods.size() == 1)
      router.add_handler(restinio::router::none_of_methods(*methods.begin()), path, answer);
    else if (methods.size() == 2)
      router.add_handler(restinio::router::none_of_methods(methods.begin()[0], methods.begin()[1]),
                         path, answer);
    else
      router.add_handler(restinio::router::none_of_methods(methods.begin()[0], methods.begin()[1],
                                                           methods.begin()[2]),
                         path, answer);
  }

  /// The web UI: pages are GET, every change is a form POST (checked for its CSRF token).
  void add_web_routes(router_t& r) {
    using restinio::http_method_get;
    using restinio::http_method_post;
    const route_spec ui{route::ui, max_api_body, false, true};
    const route_spec login{route::ui, max_login_body, false, true};
    auto get = [&](const char* path, web_access access, web_handler_t h) {
      r.http_get(path, page(ui, access, h));
      refuse_other_methods(r, path, route::ui, "GET", {http_method_get()});
    };
    auto post = [&](const char* path, web_handler_t h) {
      r.http_post(path, page(ui, web_access::form, h));
      refuse_other_methods(r, path, route::ui, "POST", {http_method_post()});
    };
    // A page that shows a form (GET) and takes it back (POST) at one path.
    auto get_post = [&](const char* path, web_access access, web_handler_t show,
                        const route_spec& spec, web_handler_t take) {
      r.http_get(path, page(ui, access, show));
      r.http_post(path, page(spec, access == web_access::open ? access : web_access::form, take));
      refuse_other_methods(r, path, route::ui, "GET, POST",
                           {http_method_get(), http_method_post()});
    };
    get_post("/login", web_access::open, &web_ui::login_page, login, &web_ui::login);
    post("/logout", &web_ui::logout);
    get("/", web_access::page, &web_ui::dashboard);
    get("/dashboard.json", web_access::json, &web_ui::dashboard_json);
    get("/applications/new", web_access::page, &web_ui::new_application);
    get_post("/applications", web_access::page, &web_ui::applications_index, ui,
             &web_ui::create_application);
    get(R"(/applications/:id(\d+))", web_access::page, &web_ui::application_page);
    get(R"(/applications/:id(\d+)/status.json)", web_access::json, &web_ui::application_status);
    get_post(R"(/applications/:id(\d+)/edit)", web_access::page, &web_ui::edit_application, ui,
             &web_ui::update_application);
    get_post(R"(/applications/:id(\d+)/delete)", web_access::page, &web_ui::confirm_delete, ui,
             &web_ui::delete_application);
    post(R"(/applications/:id(\d+)/pause)", &web_ui::pause_application);
    post(R"(/applications/:id(\d+)/resume)", &web_ui::resume_application);
    post(R"(/applications/:id(\d+)/alerts)", &web_ui::add_alert);
    get_post(R"(/applications/:id(\d+)/alerts/:alert_id(\d+)/edit)", web_access::page,
             &web_ui::edit_alert, ui, &web_ui::update_alert);
    post(R"(/applications/:id(\d+)/alerts/:alert_id(\d+)/enable)", &web_ui::enable_alert);
    post(R"(/applications/:id(\d+)/alerts/:alert_id(\d+)/disable)", &web_ui::disable_alert);
    post(R"(/applications/:id(\d+)/alerts/:alert_id(\d+)/delete)", &web_ui::delete_alert);
    post(R"(/applications/:id(\d+)/alerts/:alert_id(\d+)/test)", &web_ui::test_alert);
    const route_spec assets{route::ui_static, max_api_body, false};
    r.http_get(R"(/static/:file([a-z0-9._-]+))",
               page(assets, web_access::open, &web_ui::static_asset));
  }

  std::unique_ptr<router_t> make_router() {
    using namespace restinio;
    auto r = std::make_unique<router_t>();
    const char* beat = R"(/heartbeat/:uuid)";
    r->http_post(beat, handler(heartbeat_route, &api::heartbeat));
    r->http_get(beat, handler(heartbeat_route, &api::heartbeat));
    r->http_head(beat, handler(heartbeat_route, &api::heartbeat));
    refuse_other_methods(*r, beat, route::heartbeat, "POST, GET, HEAD",
                         {http_method_post(), http_method_get(), http_method_head()});

    const route_spec list{route::applications, max_api_body, true};
    const char* apps = "/api/applications";
    r->http_get(apps, handler(list, &api::list_applications));
    r->http_post(apps, handler(list, &api::create_application));
    refuse_other_methods(*r, apps, route::applications, "GET, POST",
                         {http_method_get(), http_method_post()});

    const route_spec one{route::application, max_api_body, true};
    const char* app = R"(/api/applications/:id)";
    r->http_get(app, handler(one, &api::get_application));
    r->http_put(app, handler(one, &api::update_application));
    r->http_delete(app, handler(one, &api::delete_application));
    refuse_other_methods(*r, app, route::application, "GET, PUT, DELETE",
                         {http_method_get(), http_method_put(), http_method_delete()});

    const route_spec history{route::heartbeats, max_api_body, true};
    const char* beats = R"(/api/applications/:id/heartbeats)";
    r->http_get(beats, handler(history, &api::list_heartbeats));
    refuse_other_methods(*r, beats, route::heartbeats, "GET", {http_method_get()});

    const route_spec alerts{route::alerts, max_api_body, true};
    const char* alert_list = R"(/api/applications/:id/alerts)";
    r->http_get(alert_list, handler(alerts, &api::list_alerts));
    r->http_post(alert_list, handler(alerts, &api::create_alert));
    refuse_other_methods(*r, alert_list, route::alerts, "GET, POST",
                         {http_method_get(), http_method_post()});

    const route_spec alert{route::alert, max_api_body, true};
    const char* alert_one = R"(/api/applications/:id/alerts/:alert_id)";
    r->http_get(alert_one, handler(alert, &api::get_alert));
    r->http_put(alert_one, handler(alert, &api::update_alert));
    r->http_delete(alert_one, handler(alert, &api::delete_alert));
    refuse_other_methods(*r, alert_one, route::alert, "GET, PUT, DELETE",
                         {http_method_get(), http_method_put(), http_method_delete()});
    const char* alert_test = R"(/api/applications/:id/alerts/:alert_id/test)";
    r->http_post(alert_test, handler(alert, &api::test_alert));
    refuse_other_methods(*r, alert_test, route::alert, "POST", {http_method_post()});

    const route_spec log{route::notifications, max_api_body, true};
    const char* notes = R"(/api/applications/:id/notifications)";
    r->http_get(notes, handler(log, &api::list_notifications));
    refuse_other_methods(*r, notes, route::notifications, "GET", {http_method_get()});

    const route_spec health{route::healthz, max_api_body, false};
    r->http_get("/healthz", handler(health, &api::healthz));
    r->http_head("/healthz", handler(health, &api::healthz));
    refuse_other_methods(*r, "/healthz", route::healthz, "GET, HEAD",
                         {http_method_get(), http_method_head()});
    const route_spec metrics{route::metrics, max_api_body, false};
    r->http_get("/metrics", handler(metrics, &api::metrics));
    refuse_other_methods(*r, "/metrics", route::metrics, "GET", {http_method_get()});

    add_web_routes(*r);

    r->non_matched_request_handler([this](const restinio::request_handle_t& req) {
      // A person following a stale link gets a page; programs get JSON as everywhere else.
      const auto accept = req->header().opt_value_of(restinio::http_field::accept);
      const bool browser = accept && accept->find("text/html") != std::string_view::npos &&
                           !req->header().path().starts_with("/api/");
      send(req, route::other, false, std::chrono::steady_clock::now(),
           browser ? web::error_page(404, "There is no such page.", "")
                   : error_response(404, "not found"));
      return restinio::request_accepted();
    });
    return r;
  }
};

http_server::http_server(http_options options, std::shared_ptr<const logger> log)
    : impl_{std::make_unique<impl>()} {
  impl_->options = std::move(options);
  impl_->log = std::move(log);
}

http_server::~http_server() { stop(); }

void http_server::start(std::shared_ptr<api> handlers, std::shared_ptr<web_ui> web) {
  auto& d = *impl_;
  d.handlers = std::move(handlers);
  d.web = std::move(web);
  d.metrics = d.handlers->context().http;
  auto settings =
      restinio::server_settings_t<traits_t>{}
          .address(d.options.host)
          .port(d.options.port)
          .request_handler(std::make_unique<front_door>(
              d.make_router(),
              [&d](const auto& req, std::string_view uuid) { return d.heartbeat(req, uuid); }))
          .handle_request_timeout(d.options.request_timeout)
          .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                        .max_url_size(max_url_size)
                                        .max_field_name_size(max_field_name_size)
                                        .max_field_value_size(max_field_value_size)
                                        .max_field_count(max_field_count)
                                        .max_body_size(max_connection_body));
  try {
    d.running =
        restinio::run_async(restinio::own_io_context(), std::move(settings), d.options.threads);
  } catch (const std::exception& e) {
    d.handlers.reset(); // they hold actor handles: the actor system must be able to go
    d.web.reset();
    throw std::runtime_error("cannot listen on " + d.options.host + ":" +
                             std::to_string(d.options.port) + ": " + e.what());
  }
}

void http_server::stop() noexcept {
  if (!impl_)
    return;
  if (impl_->running && !impl_->stopped) {
    impl_->running->stop();
    impl_->running->wait();
    impl_->stopped = true;
  }
  impl_->handlers.reset(); // they hold actor handles: let the actor system go first
  impl_->web.reset();
}

} // namespace hb
