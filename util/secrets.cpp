#include "util/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace hb {

void init_sodium() {
  if (sodium_init() < 0)
    throw std::runtime_error("libsodium could not be initialised");
}

std::string generate_token() {
  init_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(), variant);
  encoded.resize(encoded.find('\0'));
  return "hbt_" + encoded;
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
