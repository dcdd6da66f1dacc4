#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hb {

/// Initialises libsodium (idempotent, thread-safe); throws if it cannot.
void init_sodium();

/// `bytes` random bytes as base64url without padding (32 bytes: 43 characters, 256 bits).
std::string random_base64url(std::size_t bytes = 32);

/// A new admin API token: `hbt_` and 43 base64url characters (256 random bits).
std::string generate_token();

/// A new admin password for people to type: 20 base64url characters (120 random bits).
std::string generate_password();

/// The argon2id hash of `password` in libsodium's self-describing string form (algorithm,
/// parameters and salt included). Deliberately slow (~50 ms, 64 MiB): call it off the threads
/// that serve heartbeats.
std::string hash_password(std::string_view password);

/// Whether `password` matches a hash from hash_password (constant time; as slow as hashing).
bool password_matches(std::string_view password, const std::string& stored_hash);

/// BLAKE2b-256 of a token, hex: tokens are 256 random bits, so a fast hash is as strong as a
/// slow one and keeps every API call cheap. (Passwords get argon2id instead.)
std::string hash_token(std::string_view token);

/// Constant-time check of a presented token against a stored hash.
bool token_matches(std::string_view presented, std::string_view stored_hash);

} // namespace hb
