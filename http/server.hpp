#pragma once

#include "util/logger.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace hb {

class api;
class web_ui;

/// Which requests get an access-log line (at info level).
enum class access_log { off, api, all };

struct http_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 2;
  access_log log_requests = access_log::api;
  /// How long a handler may take to answer (RESTinio's default is 10 s): the alert test
  /// endpoint waits for one delivery attempt, which may take the whole alert timeout.
  std::chrono::milliseconds request_timeout{15000};
};

/// The HTTP front end (RESTinio). Kept behind a pimpl: RESTinio is expensive to compile, so only
/// server.cpp includes it; the handlers live in api_*.cpp.
class http_server {
public:
  http_server(http_options options, std::shared_ptr<const logger> log);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and starts serving the JSON API `handlers` and the `web` UI; throws
  /// std::runtime_error when the address cannot be bound.
  void start(std::shared_ptr<api> handlers, std::shared_ptr<web_ui> web);
  /// Stops accepting and serving; returns when the server threads have ended. Answers given
  /// after this are dropped safely: the I/O context lives until the object goes.
  void stop() noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace hb
