#include "http/server.hpp"

#include "persistence/read_pool.hpp"

#include <nlohmann/json.hpp>
#include <restinio/all.hpp>

#include <stdexcept>

namespace hb {

namespace {

using router_t = restinio::router::express_router_t<>;
using traits_t =
  restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t, router_t>;

// RESTinio sets no limits of its own (STACK.md).
constexpr std::size_t max_url_size = 8 * 1024;
constexpr std::size_t max_field_name_size = 256;
constexpr std::size_t max_field_value_size = 8 * 1024;
constexpr std::size_t max_field_count = 64;
constexpr std::size_t max_body_size = 64 * 1024;

template <class Request>
void reply_json(const Request& req, restinio::http_status_line_t status,
                const nlohmann::json& body) {
  req->create_response(std::move(status))
    .append_header(restinio::http_field::content_type, "application/json")
    .append_header(restinio::http_field::cache_control, "no-store")
    .set_body(body.dump())
    .done();
}

} // namespace

struct http_server::impl {
  http_options options;
  read_pool& reads;
  std::shared_ptr<const logger> log;
  restinio::running_server_handle_t<traits_t> running;

  std::unique_ptr<router_t> make_router() {
    auto router = std::make_unique<router_t>();
    auto healthz = [this](auto req, auto) { return health(std::move(req)); };
    router->http_get("/healthz", healthz);
    router->http_head("/healthz", healthz);
    router->non_matched_request_handler([](auto req) {
      reply_json(req, restinio::status_not_found(), {{"error", "not found"}});
      return restinio::request_accepted();
    });
    return router;
  }

  restinio::request_handling_status_t health(restinio::request_handle_t req) {
    auto body = std::make_shared<nlohmann::json>(nlohmann::json{
      {"status", "ok"}, {"version", HEARTBEATD_VERSION}, {"database", options.backend_name}});
    reads.post(
      [req, body](soci::session& s) {
        int one = 0;
        s << "SELECT 1", soci::into(one);
        (*body)["database_ok"] = true;
        reply_json(req, restinio::status_ok(), *body);
      },
      [req, body](const std::string& why) {
        (*body)["status"] = "unavailable";
        (*body)["database_ok"] = false;
        (*body)["error"] = why;
        reply_json(req, restinio::status_service_unavailable(), *body);
      });
    return restinio::request_accepted();
  }
};

http_server::http_server(http_options options, read_pool& reads,
                         std::shared_ptr<const logger> log)
  : impl_{std::make_unique<impl>(impl{std::move(options), reads, std::move(log), {}})} {}

http_server::~http_server() { stop(); }

void http_server::start() {
  auto& d = *impl_;
  auto settings =
    restinio::server_settings_t<traits_t>{}
      .address(d.options.host)
      .port(d.options.port)
      .request_handler(d.make_router())
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                  .max_url_size(max_url_size)
                                  .max_field_name_size(max_field_name_size)
                                  .max_field_value_size(max_field_value_size)
                                  .max_field_count(max_field_count)
                                  .max_body_size(max_body_size));
  try {
    d.running = restinio::run_async(restinio::own_io_context(), std::move(settings),
                                    d.options.threads);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + d.options.host + ":" +
                             std::to_string(d.options.port) + ": " + e.what());
  }
}

void http_server::stop() noexcept {
  if (impl_ && impl_->running) {
    impl_->running->stop();
    impl_->running->wait();
    impl_->running.reset();
  }
}

} // namespace hb
