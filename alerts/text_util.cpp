#include "alerts/text_util.hpp"

namespace hb::alerts {

namespace {

constexpr std::string_view ellipsis = "...";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

} // namespace

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes)
    return s;
  auto end = max_bytes;
  // s[end] is the first byte cut off; if it continues a character, that character is cut too.
  while (end > 0 && is_continuation(s[end]))
    --end;
  return s.substr(0, end);
}

std::string shorten(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes)
    return std::string{s};
  if (max_bytes < ellipsis.size())
    return std::string{utf8_prefix(s, max_bytes)};
  auto text = std::string{utf8_prefix(s, max_bytes - ellipsis.size())};
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
    text.pop_back();
  return text.append(ellipsis);
}

std::string one_line_excerpt(std::string_view s, std::size_t max_bytes) {
  std::string line;
  bool pending_space = false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) {
      pending_space = !line.empty();
      continue;
    }
    if (pending_space)
      line += ' ';
    pending_space = false;
    line += c;
    if (line.size() > max_bytes)
      break; // enough to know it must be shortened
  }
  return shorten(line, max_bytes);
}

} // namespace hb::alerts
