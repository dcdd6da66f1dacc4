#include "alerts/target_checks.hpp"

#include "alerts/curl_handle.hpp"

#include <algorithm>
#include <memory>

namespace hb::alerts {

namespace {

constexpr std::size_t max_email_length = 254; // RFC 5321's limit on a forward path
constexpr std::size_t max_url_length = 2048;

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct curl_url_deleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

struct curl_string_deleter {
  void operator()(char* s) const { curl_free(s); }
};

// One part of a parsed URL, empty when it has none.
std::string url_part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK)
    return {};
  const std::unique_ptr<char, curl_string_deleter> owned{raw};
  return raw;
}

} // namespace

std::optional<std::string> email_address_problem(std::string_view address) {
  const std::string problem = "must be an email address like name@example.com";
  if (address.empty() || address.size() > max_email_length || has_space_or_control(address))
    return problem;
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string::npos)
    return problem;
  const auto domain = address.substr(at + 1);
  const auto dot = domain.find('.');
  // A dot inside the domain, with a label on both sides of it.
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return problem;
  // Angle brackets, commas and the like would break MAIL FROM / RCPT TO and the To header.
  if (address.find_first_of("<>()[],;:\\\"") != std::string_view::npos)
    return problem;
  return std::nullopt;
}

std::optional<std::string> http_url_problem(std::string_view url) {
  const std::string problem = "must be an http:// or https:// URL";
  if (url.empty() || url.size() > max_url_length || has_space_or_control(url))
    return problem;
  // libcurl is lenient about slashes ("http:/x", "http:///x"); receivers and people are not.
  const auto authority = url.find("://");
  if (authority == std::string_view::npos)
    return problem;
  if (authority + 3 >= url.size() || url[authority + 3] == '/')
    return problem + " with a host";
  ensure_curl_initialized();
  const std::unique_ptr<CURLU, curl_url_deleter> parsed{curl_url()};
  if (!parsed)
    return problem;
  const std::string text{url};
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return problem;
  const auto scheme = url_part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https")
    return problem;
  if (url_part(parsed.get(), CURLUPART_HOST).empty())
    return problem + " with a host";
  return std::nullopt;
}

std::optional<std::string> e164_problem(std::string_view number) {
  // ^\+[1-9][0-9]{6,14}$, by hand: no regex engine for eight characters of grammar.
  const bool valid = number.size() >= 8 && number.size() <= 16 && number[0] == '+' &&
                     number[1] >= '1' && number[1] <= '9' &&
                     std::all_of(number.begin() + 1, number.end(), is_digit);
  if (!valid)
    return "must be an E.164 phone number like +15551234567";
  return std::nullopt;
}

} // namespace hb::alerts
