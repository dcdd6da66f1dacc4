#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hb::alerts {

/// Why `address` is not a usable email address, or nothing. Pragmatic, not RFC 5321 complete:
/// one `@`, a non-empty local part, a domain with a dot, no white space or control characters,
/// at most 254 characters.
std::optional<std::string> email_address_problem(std::string_view address);

/// Why `url` is not an http:// or https:// URL with a host (at most 2048 characters, no white
/// space), or nothing.
std::optional<std::string> http_url_problem(std::string_view url);

/// Why `number` is not an E.164 phone number (`+` and 7 to 15 digits, the first not 0), or
/// nothing.
std::optional<std::string> e164_problem(std::string_view number);

} // namespace hb::alerts
