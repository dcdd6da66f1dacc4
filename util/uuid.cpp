#include "util/uuid.hpp"

#include "util/secrets.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>

namespace hb {

std::string new_uuid_v4() {
  init_sodium();
  std::array<std::uint8_t, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40); // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80); // RFC 4122 variant
  return fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
                     "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                     b[12], b[13], b[14], b[15]);
}

std::optional<uuid_key> parse_uuid(std::string_view text) {
  if (text.size() != 36)
    return std::nullopt;
  uuid_key key;
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return std::nullopt;
      continue;
    }
    std::uint64_t nibble = 0;
    if (c >= '0' && c <= '9')
      nibble = static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      nibble = static_cast<std::uint64_t>(c - 'a') + 10;
    else if (c >= 'A' && c <= 'F')
      nibble = static_cast<std::uint64_t>(c - 'A') + 10;
    else
      return std::nullopt;
    auto& word = digits++ < 16 ? key.high : key.low;
    word = (word << 4) | nibble;
  }
  return key;
}

std::string to_string(const uuid_key& key) {
  const auto hex = fmt::format("{:016x}{:016x}", key.high, key.low);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20);
}

} // namespace hb
