#include "util/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace hb {

void init_sodium() {
  if (sodium_init() < 0)
    throw std::runtime_error("libsodium could not be initialised");
}

std::string random_base64url(std::size_t bytes) {
  init_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string encoded(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), raw.data(), raw.size(), variant);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

std::string generate_token() { return "hbt_" + random_base64url(32); }

std::string generate_password() { return random_base64url(15); }

std::string hash_password(std::string_view password) {
  init_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  // The interactive limits: a login takes tens of milliseconds, a guess as long.
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory?)");
  return std::string{out.data()};
}

bool password_matches(std::string_view password, const std::string& stored_hash) {
  init_sodium();
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

std::string hash_token(std::string_view token) {
  init_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool token_matches(std::string_view presented, std::string_view stored_hash) {
  const auto computed = hash_token(presented);
  return computed.size() == stored_hash.size() &&
         sodium_memcmp(computed.data(), stored_hash.data(), computed.size()) == 0;
}

} // namespace hb
