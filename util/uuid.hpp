#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb {

/// A random (version 4) UUID in lower-case canonical form, from libsodium's CSPRNG.
std::string new_uuid_v4();

/// A UUID as its 128 bits. The registry keys applications by it: a heartbeat's look-up then
/// hashes two words and compares two more, and its messages carry no string to allocate.
struct uuid_key {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const uuid_key&, const uuid_key&) = default;
};

struct uuid_key_hash {
  std::size_t operator()(const uuid_key& k) const noexcept {
    // Random UUIDs are uniform already; the multiplication mixes the high word in.
    return static_cast<std::size_t>(k.low ^ (k.high * 0x9E3779B97F4A7C15ULL));
  }
};

/// The bits of a UUID in the canonical 8-4-4-4-12 hexadecimal form (either case); nothing for
/// any other text.
std::optional<uuid_key> parse_uuid(std::string_view text);

/// The lower-case canonical form.
std::string to_string(const uuid_key& key);

} // namespace hb
