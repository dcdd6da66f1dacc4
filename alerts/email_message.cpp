#include "alerts/email_message.hpp"

#include "alerts/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace hb::alerts {

namespace {

constexpr std::size_t base64_line_bytes = 57;  // 76 base64 characters per line (RFC 2045)
constexpr std::size_t encoded_word_bytes = 45; // 60 base64 characters + 12 = 72 <= 75 (RFC 2047)
constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < data.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size())
      chunk |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size())
      chunk |= static_cast<unsigned char>(data[i + 2]);
    out += base64_alphabet[(chunk >> 18) & 63];
    out += base64_alphabet[(chunk >> 12) & 63];
    out += i + 1 < data.size() ? base64_alphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < data.size() ? base64_alphabet[chunk & 63] : '=';
  }
  return out;
}

// A header value on one line: CR, LF and other controls would start a new header.
std::string one_line(std::string_view value) {
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7F ? ' ' : c;
  }
  return out;
}

// Texts as CRLF lines: SMTP and MIME want them, templates are written with LF.
std::string crlf_lines(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      out += '\r';
    out += text[i];
  }
  return out;
}

std::string part(std::string_view boundary, std::string_view content_type, std::string_view body) {
  return fmt::format("--{}\r\n"
                     "Content-Type: {}; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n"
                     "\r\n"
                     "{}",
                     boundary, content_type, base64_lines(crlf_lines(body)));
}

} // namespace

std::string base64_lines(std::string_view data) {
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += base64_line_bytes)
    out += base64(data.substr(i, base64_line_bytes)) + "\r\n";
  return out;
}

std::string encode_header_value(std::string_view text) {
  auto line = one_line(text);
  const bool ascii = std::all_of(line.begin(), line.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii)
    return line;
  std::string out;
  std::string_view rest = line;
  while (!rest.empty()) {
    // Each encoded word holds whole UTF-8 characters (RFC 2047 section 5).
    auto chunk = utf8_prefix(rest, encoded_word_bytes);
    if (chunk.empty()) // invalid UTF-8; still make progress
      chunk = rest.substr(0, std::min(rest.size(), encoded_word_bytes));
    if (!out.empty())
      out += "\r\n ";
    out += "=?UTF-8?B?" + base64(chunk) + "?=";
    rest.remove_prefix(chunk.size());
  }
  return out;
}

std::string rfc5322_date(timestamp t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> weekdays{"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", weekdays[weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string bare_address(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && open < close)
    return std::string{mailbox.substr(open + 1, close - open - 1)};
  return one_line(mailbox);
}

std::string compose_email(const email_content& mail) {
  // "=_" cannot occur in base64 text or in our headers, so the boundary cannot occur in a part.
  const auto boundary =
      fmt::format("=_heartbeatd_{}_{}", mail.notification_id, to_micros(mail.date));
  std::string msg;
  msg += "From: " + one_line(mail.from) + "\r\n";
  msg += "To: " + one_line(mail.to) + "\r\n";
  msg += "Subject: " + encode_header_value(mail.subject) + "\r\n";
  msg += "Date: " + rfc5322_date(mail.date) + "\r\n";
  msg += "Message-ID: <" + one_line(mail.message_id) + ">\r\n";
  msg += fmt::format("X-Heartbeatd-Notification-Id: {}\r\n", mail.notification_id);
  // Tells well-behaved auto-responders not to answer an alert.
  msg += "Auto-Submitted: auto-generated\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += fmt::format("Content-Type: multipart/alternative; boundary=\"{}\"\r\n", boundary);
  msg += "\r\n";
  // Plain text first: multipart/alternative lists parts from least to most preferred.
  msg += part(boundary, "text/plain", mail.text);
  msg += part(boundary, "text/html", mail.html);
  msg += fmt::format("--{}--\r\n", boundary);
  return msg;
}

} // namespace hb::alerts
