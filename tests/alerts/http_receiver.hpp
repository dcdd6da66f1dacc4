#pragma once

#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hb::test {

/// One request as the receiver saw it.
struct received_request {
  std::string method;
  std::string path;                           ///< the request target, query included
  std::map<std::string, std::string> headers; ///< names lower-cased
  std::string body;
  int connection = 0; ///< 1 for the receiver's first connection, 2 for the next, ...
};

/// What the receiver answers to one request.
struct canned_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body = "ok";
  bool never_answer = false; ///< read the request, then keep silent until the client gives up
};

/// A loopback HTTP/1.1 server on 127.0.0.1 and a port the system chose, on a thread of its own:
/// records every request and answers with the queued responses in order (200 "ok" when the
/// queue is empty). Understands Content-Length bodies and keep-alive; nothing else.
class http_receiver {
public:
  http_receiver();
  ~http_receiver();
  http_receiver(const http_receiver&) = delete;
  http_receiver& operator=(const http_receiver&) = delete;

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:<port><path>".
  std::string url(const std::string& path) const;

  /// Queues `r` as the answer to a later request.
  void respond(canned_response r);

  /// The requests received so far.
  std::vector<received_request> requests() const;

private:
  class session;
  void accept();
  canned_response next_response();
  void record(received_request r);

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  int connections_ = 0; // touched only by the io thread
  mutable std::mutex mutex_;
  std::deque<canned_response> responses_;
  std::vector<received_request> requests_;
  std::thread thread_;
};

/// A port on 127.0.0.1 that nothing listens on (bound, read back, closed).
std::uint16_t closed_port();

} // namespace hb::test
