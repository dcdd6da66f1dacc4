#include "util/secrets.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace hb;

BOOST_AUTO_TEST_CASE(tokens_are_random_and_long) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto token = generate_token();
    BOOST_TEST(token.rfind("hbt_", 0) == 0u);
    BOOST_TEST(token.size() == 4u + 43u);
    seen.insert(token);
  }
  BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_CASE(a_token_matches_only_its_own_hash) {
  const auto token = generate_token();
  const auto hash = hash_token(token);
  BOOST_TEST(hash.size() == 64u);
  BOOST_TEST(hash.find(token) == std::string::npos);
  BOOST_TEST(token_matches(token, hash));
  BOOST_TEST(!token_matches(token + "x", hash));
  BOOST_TEST(!token_matches("", hash));
  BOOST_TEST(!token_matches(token, hash.substr(1)));
}

BOOST_AUTO_TEST_CASE(passwords_are_hashed_with_argon2id_and_salted) {
  const auto hash = hash_password("correct horse");
  BOOST_TEST(hash.rfind("$argon2id$", 0) == 0u);
  BOOST_TEST(hash.find("correct horse") == std::string::npos);
  BOOST_TEST(password_matches("correct horse", hash));
  BOOST_TEST(!password_matches("correct horsE", hash));
  BOOST_TEST(!password_matches("", hash));
  BOOST_TEST(!password_matches("correct horse", "not a hash"));
  // A new salt each time: equal passwords do not give equal hashes.
  BOOST_TEST(hash_password("correct horse") != hash);
}

BOOST_AUTO_TEST_CASE(generated_passwords_are_random_and_typeable) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto password = generate_password();
    BOOST_TEST(password.size() == 20u);
    BOOST_TEST(password.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789-_") == std::string::npos);
    seen.insert(password);
  }
  BOOST_TEST(seen.size() == 50u);
}
