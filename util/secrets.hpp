#pragma once

#include <string>
#include <string_view>

namespace hb {

/// Initialises libsodium (idempotent, thread-safe); throws if it cannot.
void init_sodium();

/// A new admin API token: `hbt_` and 43 base64url characters (256 random bits).
std::string generate_token();

/// BLAKE2b-256 of a token, hex: tokens are 256 random bits, so a fast hash is as strong as a
/// slow one and keeps every API call cheap. (Passwords get argon2id instead.)
std::string hash_token(std::string_view token);

/// Constant-time check of a presented token against a stored hash.
bool token_matches(std::string_view presented, std::string_view stored_hash);

} // namespace hb
