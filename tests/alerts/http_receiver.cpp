#include "alerts/http_receiver.hpp"

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>
#include <sstream>

namespace hb::test {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::string reason(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 204:
    return "No Content";
  case 400:
    return "Bad Request";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  default:
    return "Status";
  }
}

} // namespace

// One connection: reads requests one after the other and answers each.
class http_receiver::session : public std::enable_shared_from_this<session> {
public:
  session(http_receiver& owner, asio::ip::tcp::socket socket, int number)
      : owner_{owner}, socket_{std::move(socket)}, number_{number} {}

  void read_head() {
    asio::async_read_until(socket_, buffer_, "\r\n\r\n",
                           [self = shared_from_this()](std::error_code ec, std::size_t) {
                             if (!ec)
                               self->parse_head();
                           });
  }

private:
  void parse_head() {
    std::istream in{&buffer_};
    std::string line;
    std::getline(in, line);
    std::istringstream request_line{line};
    request_ = received_request{};
    request_.connection = number_;
    request_line >> request_.method >> request_.path;
    while (std::getline(in, line) && line != "\r") {
      const auto colon = line.find(':');
      if (colon != std::string::npos)
        request_.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    }
    const auto length_header = request_.headers.find("content-length");
    const std::size_t length =
        length_header == request_.headers.end() ? 0 : std::stoul(length_header->second);
    const auto missing = length > buffer_.size() ? length - buffer_.size() : 0;
    asio::async_read(socket_, buffer_, asio::transfer_exactly(missing),
                     [self = shared_from_this(), length](std::error_code ec, std::size_t) {
                       if (!ec)
                         self->handle_body(length);
                     });
  }

  void handle_body(std::size_t length) {
    request_.body.resize(length);
    std::istream{&buffer_}.read(request_.body.data(), static_cast<std::streamsize>(length));
    owner_.record(request_);
    const auto response = owner_.next_response();
    if (response.never_answer) {
      // Hold the connection (and this session) until the client gives up and closes it.
      asio::async_read(socket_, buffer_, asio::transfer_at_least(1),
                       [self = shared_from_this()](std::error_code, std::size_t) {});
      return;
    }
    std::ostringstream out;
    out << "HTTP/1.1 " << response.status << ' ' << reason(response.status) << "\r\n";
    for (const auto& [name, value] : response.headers)
      out << name << ": " << value << "\r\n";
    out << "Content-Length: " << response.body.size() << "\r\n\r\n" << response.body;
    reply_ = out.str();
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](std::error_code ec, std::size_t) {
                        if (!ec)
                          self->read_head(); // keep-alive: the client may send another request
                      });
  }

  http_receiver& owner_;
  asio::ip::tcp::socket socket_;
  int number_;
  asio::streambuf buffer_;
  received_request request_;
  std::string reply_;
};

http_receiver::http_receiver()
    : acceptor_{io_, asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}} {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread{[this] { io_.run(); }};
}

http_receiver::~http_receiver() {
  io_.stop();
  thread_.join();
}

std::string http_receiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void http_receiver::respond(canned_response r) {
  const std::lock_guard lock{mutex_};
  responses_.push_back(std::move(r));
}

std::vector<received_request> http_receiver::requests() const {
  const std::lock_guard lock{mutex_};
  return requests_;
}

void http_receiver::accept() {
  acceptor_.async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
    if (ec)
      return;
    std::make_shared<session>(*this, std::move(socket), ++connections_)->read_head();
    accept();
  });
}

canned_response http_receiver::next_response() {
  const std::lock_guard lock{mutex_};
  if (responses_.empty())
    return {};
  auto r = std::move(responses_.front());
  responses_.pop_front();
  return r;
}

void http_receiver::record(received_request r) {
  const std::lock_guard lock{mutex_};
  requests_.push_back(std::move(r));
}

std::uint16_t closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io,
                                   asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  return acceptor.local_endpoint().port();
}

} // namespace hb::test
