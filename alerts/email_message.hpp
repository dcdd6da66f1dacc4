#pragma once

#include "util/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace hb::alerts {

/// What goes into one alert email.
struct email_content {
  std::string from;       ///< header value as configured: "alerts@x.org" or "Name <alerts@x.org>"
  std::string to;         ///< one address
  std::string subject;    ///< UTF-8, one line
  std::string text;       ///< the text/plain part, UTF-8
  std::string html;       ///< the text/html part, UTF-8
  std::string message_id; ///< without angle brackets, e.g. "heartbeatd.42.1700000000@x.org"
  std::int64_t notification_id = 0;
  timestamp date;
};

/// An RFC 5322 message with CRLF line ends: headers, then multipart/alternative with base64
/// text/plain and text/html parts. Header values are kept on one line (CR/LF cannot inject
/// headers) and non-ASCII ones are RFC 2047 encoded.
std::string compose_email(const email_content& mail);

/// `text` as an unstructured header value: unchanged if it is printable ASCII, else as
/// RFC 2047 "B" encoded-words of at most 75 characters, folded with CRLF + space.
std::string encode_header_value(std::string_view text);

/// `t` in the RFC 5322 date format, e.g. "Sat, 28 Nov 2026 09:15:02 +0000".
std::string rfc5322_date(timestamp t);

/// The bare address in a From setting: "a@x.org" for "Name <a@x.org>" or "a@x.org".
std::string bare_address(std::string_view mailbox);

/// Standard base64 of `data`, in lines of at most 76 characters ended by CRLF.
std::string base64_lines(std::string_view data);

} // namespace hb::alerts
