#include "persistence/pg_array.hpp"

#include <fmt/format.h>

namespace hb {

void pg_array_builder::separator() {
  if (text_.size() > 1)
    text_ += ',';
}

void pg_array_builder::add(std::int64_t value) {
  separator();
  fmt::format_to(std::back_inserter(text_), "{}", value);
}

void pg_array_builder::add(std::string_view text) {
  separator();
  text_ += '"';
  for (char c : text) {
    if (c == '"' || c == '\\')
      text_ += '\\';
    text_ += c;
  }
  text_ += '"';
}

std::string pg_array_builder::finish() {
  text_ += '}';
  return std::move(text_);
}

} // namespace hb
