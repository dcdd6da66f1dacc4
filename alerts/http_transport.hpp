#pragma once

#include "alerts/curl_handle.hpp"
#include "alerts/notification.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hb::alerts {

/// One HTTP POST as a channel wants it sent.
struct http_request {
  std::string url;
  std::vector<std::string> headers; ///< "Name: value" lines, e.g. "Content-Type: application/json"
  std::string body;
  std::optional<std::string> basic_auth_user{}; ///< sent with basic_auth_password when set
  std::string basic_auth_password{};
};

/// The shared HTTP client of all HTTP channels: libcurl, POST only, no redirects, one timeout per
/// attempt (connect included). Keeps one connection cache, so repeated posts to the same receiver
/// reuse the connection. One thread at a time, like the channel that owns it.
class http_transport {
public:
  explicit http_transport(std::chrono::milliseconds timeout);

  /// One attempt to POST `request`, classified: 2xx delivered; 429, 5xx and network errors
  /// retryable (honouring Retry-After); other statuses permanent.
  delivery_result post(const http_request& request);

private:
  std::chrono::milliseconds timeout_;
  curl_easy_ptr handle_;
};

/// The headers every HTTP channel sends: `Content-Type` and `X-Heartbeatd-Notification-Id` (the
/// notification id, an idempotency key: retries of one notification carry the same value).
std::vector<std::string> notification_headers(const notification& n, std::string_view content_type);

/// The outcome of a response with `status` (a final status, >= 200): nothing for 2xx, else an
/// error naming the status with an excerpt of `body`.
delivery_result classify_http_status(long status, const std::string& body,
                                     std::optional<std::chrono::seconds> retry_after);

} // namespace hb::alerts
