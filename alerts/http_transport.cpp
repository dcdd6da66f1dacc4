#include "alerts/http_transport.hpp"

#include "alerts/text_util.hpp"

#include <fmt/format.h>

namespace hb::alerts {

namespace {

constexpr std::size_t max_kept_body = std::size_t{64} * 1024; // enough for any error page excerpt
constexpr std::size_t max_excerpt = 200;
constexpr const char* user_agent = "heartbeatd/" HEARTBEATD_VERSION;

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  const auto n = size * count;
  if (body.size() < max_kept_body)
    body.append(data, std::min(n, max_kept_body - body.size()));
  return n; // consume everything, or libcurl reports a write error
}

// Errors retrying cannot fix: the target itself is unusable.
bool is_permanent(CURLcode code) {
  return code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL;
}

} // namespace

http_transport::http_transport(std::chrono::milliseconds timeout)
    : timeout_{timeout}, handle_{make_curl_easy()} {}

delivery_result http_transport::post(const http_request& request) {
  CURL* h = handle_.get();
  // Reset drops the previous request's options but keeps live connections for reuse.
  curl_easy_reset(h);
  auto headers = request.headers;
  headers.emplace_back("Expect:"); // no 100-continue round trip for large bodies
  const auto header_list = make_curl_slist(headers);
  std::string body;
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // signals would hit arbitrary threads
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  if (request.basic_auth_user) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, request.basic_auth_user->c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.basic_auth_password.c_str());
  }

  const auto code = curl_easy_perform(h);
  // The handle outlives this call: it must not keep pointers into our locals.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) {
    auto text = curl_error_text(code, error_buffer);
    if (code == CURLE_OPERATION_TIMEDOUT)
      text = fmt::format("no answer within {} ms ({})", timeout_.count(), text);
    return delivery_error{std::move(text), is_permanent(code), std::nullopt};
  }

  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // libcurl parses both forms of Retry-After (seconds and HTTP-date) into seconds from now.
  curl_off_t retry_after = -1;
  std::optional<std::chrono::seconds> wait;
  if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
    wait = std::chrono::seconds{retry_after};
  return classify_http_status(status, body, wait);
}

std::vector<std::string> notification_headers(const notification& n,
                                              std::string_view content_type) {
  return {fmt::format("Content-Type: {}", content_type),
          fmt::format("X-Heartbeatd-Notification-Id: {}", n.id)};
}

delivery_result classify_http_status(long status, const std::string& body,
                                     std::optional<std::chrono::seconds> retry_after) {
  if (status >= 200 && status < 300)
    return std::nullopt;
  auto message = fmt::format("HTTP {}", status);
  if (status >= 300 && status < 400)
    message += " (redirects are not followed; configure the final URL)";
  const auto excerpt = one_line_excerpt(body, max_excerpt);
  if (!excerpt.empty())
    message += ": " + excerpt;
  const bool retryable = status == 429 || status >= 500 || status < 200;
  return delivery_error{std::move(message), !retryable, retryable ? retry_after : std::nullopt};
}

} // namespace hb::alerts
