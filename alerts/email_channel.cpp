#include "alerts/email_channel.hpp"

#include "alerts/email_message.hpp"
#include "alerts/message.hpp"
#include "alerts/target_checks.hpp"
#include "alerts/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace hb::alerts {

namespace {

constexpr const char* no_server_problem = "email alerts need HEARTBEATD_SMTP_HOST";

// libcurl pulls the message through this in pieces.
struct upload {
  std::string_view rest;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& up = *static_cast<upload*>(user);
  const auto n = std::min(size * count, up.rest.size());
  std::memcpy(buffer, up.rest.data(), n);
  up.rest.remove_prefix(n);
  return n;
}

std::string smtp_url(const smtp_settings& smtp) {
  // Implicit TLS is its own scheme; STARTTLS upgrades a plain smtp:// connection.
  const auto* scheme = smtp.tls == smtp_settings::tls_mode::tls ? "smtps" : "smtp";
  // An IPv6 literal needs brackets in a URL.
  const auto host = smtp.host.find(':') != std::string::npos && smtp.host.front() != '['
                        ? "[" + smtp.host + "]"
                        : smtp.host;
  return fmt::format("{}://{}:{}", scheme, host, smtp.port);
}

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? "heartbeatd.invalid" : std::string{address.substr(at + 1)};
}

} // namespace

email_channel::email_channel(const channel_settings& settings)
    : smtp_{settings.smtp}, timeout_{settings.timeout}, handle_{make_curl_easy()} {}

std::optional<std::string> email_channel::target_problem(std::string_view target,
                                                         const channel_settings& settings) {
  if (settings.smtp.host.empty())
    return no_server_problem;
  return email_address_problem(target);
}

delivery_result email_channel::notify(const notification& n) {
  if (smtp_.host.empty())
    return delivery_error{no_server_problem, true, std::nullopt};
  const auto texts = render_message(n);
  const auto from_address = bare_address(smtp_.from);
  const auto message = compose_email(email_content{
      .from = smtp_.from,
      .to = n.target,
      .subject = texts.subject,
      .text = texts.text,
      .html = texts.html,
      // Stable across retries, so a receiver that saw an earlier attempt can drop duplicates.
      .message_id =
          fmt::format("heartbeatd.{}.{}@{}", n.id, to_micros(n.at), domain_of(from_address)),
      .notification_id = n.id,
      .date = system_now(),
  });

  CURL* h = handle_.get();
  curl_easy_reset(h); // keeps the connection cache
  const auto recipients = make_curl_slist({"<" + n.target + ">"});
  const auto mail_from = "<" + from_address + ">";
  const auto url = smtp_url(smtp_);
  upload body{message};
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  if (smtp_.tls == smtp_settings::tls_mode::starttls)
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!smtp_.ca_file.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, smtp_.ca_file.c_str());
  if (!smtp_.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, smtp_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, smtp_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &body);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  const auto code = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
  if (code == CURLE_OK)
    return std::nullopt;
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  auto text = one_line_excerpt(curl_error_text(code, error_buffer), 300);
  if (code == CURLE_OPERATION_TIMEDOUT)
    text = fmt::format("no answer within {} ms ({})", timeout_.count(), text);
  else if (reply > 0)
    text = fmt::format("SMTP {}: {}", reply, text);
  // 5xx: the server refused for good (unknown mailbox, bad login); 4xx: try again later.
  const bool permanent = reply >= 500 && reply < 600;
  return delivery_error{std::move(text), permanent, std::nullopt};
}

} // namespace hb::alerts
