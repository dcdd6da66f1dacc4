#pragma once

#include <string>
#include <string_view>

namespace hb {

/// A random (version 4) UUID in lower-case canonical form, from libsodium's CSPRNG.
std::string new_uuid_v4();

/// True for the canonical 8-4-4-4-12 hexadecimal form (either case).
bool is_canonical_uuid(std::string_view text);

} // namespace hb
