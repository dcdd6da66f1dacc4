#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hb::alerts {

/// The longest prefix of `s` of at most `max_bytes` bytes that does not split a UTF-8 character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// `s` if it fits in `max_bytes` bytes, else a UTF-8-safe prefix ending in "..." that does.
std::string shorten(std::string_view s, std::size_t max_bytes);

/// `s` on one line (control characters and runs of white space become one space, trimmed),
/// shortened to `max_bytes`: for error messages that quote what a receiver said.
std::string one_line_excerpt(std::string_view s, std::size_t max_bytes);

} // namespace hb::alerts
