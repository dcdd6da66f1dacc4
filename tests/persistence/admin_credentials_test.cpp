#include "support/test_database.hpp"

#include "persistence/admin_credentials.hpp"
#include "util/secrets.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hb;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(admin_credentials)

BOOST_DATA_TEST_CASE(a_token_is_generated_once_and_kept_hashed_across_restarts,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto first = ensure_admin_token(db.session(), backend, std::nullopt);
  BOOST_TEST_REQUIRE(first.generated.has_value());
  BOOST_TEST(token_matches(*first.generated, first.hash));

  auto second = ensure_admin_token(db.session(), backend, std::nullopt);
  BOOST_TEST(!second.generated.has_value());
  BOOST_TEST(token_matches(*first.generated, second.hash));

  std::string stored;
  db.session() << "SELECT hash FROM server_secrets", soci::into(stored);
  BOOST_TEST(stored.find(*first.generated) == std::string::npos);
}

BOOST_DATA_TEST_CASE(a_configured_token_wins_and_rotation_replaces_the_stored_one,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto generated = *ensure_admin_token(db.session(), backend, std::nullopt).generated;
  auto configured = ensure_admin_token(db.session(), backend, std::string{"configured-token-123"});
  BOOST_TEST(configured.from_environment);
  BOOST_TEST(token_matches("configured-token-123", configured.hash));
  BOOST_TEST(!token_matches(generated, configured.hash));

  auto rotated = rotate_admin_token(db.session(), backend);
  auto after = ensure_admin_token(db.session(), backend, std::nullopt);
  BOOST_TEST(token_matches(rotated, after.hash));
  BOOST_TEST(!token_matches(generated, after.hash));
}

BOOST_DATA_TEST_CASE(a_password_is_generated_once_and_only_its_argon2id_hash_is_kept,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto first = ensure_admin_password(db.session(), backend, std::nullopt);
  BOOST_TEST_REQUIRE(first.generated.has_value());
  BOOST_TEST(password_matches(*first.generated, first.hash));

  auto second = ensure_admin_password(db.session(), backend, std::nullopt);
  BOOST_TEST(!second.generated.has_value());
  BOOST_TEST(password_matches(*first.generated, second.hash));

  std::string stored;
  db.session() << "SELECT hash FROM server_secrets WHERE name = 'admin_password'",
      soci::into(stored);
  BOOST_TEST(stored.rfind("$argon2id$", 0) == 0u);
  BOOST_TEST(stored.find(*first.generated) == std::string::npos);
}

BOOST_DATA_TEST_CASE(a_configured_password_wins_and_setting_one_replaces_the_stored_one,
                     bdata::make(all_backends), backend) {
  test_database db{backend};
  auto generated = *ensure_admin_password(db.session(), backend, std::nullopt).generated;
  auto configured = ensure_admin_password(db.session(), backend, std::string{"from-the-env"});
  BOOST_TEST(configured.from_environment);
  BOOST_TEST(password_matches("from-the-env", configured.hash));

  set_admin_password(db.session(), backend, "a new password");
  auto after = ensure_admin_password(db.session(), backend, std::nullopt);
  BOOST_TEST(password_matches("a new password", after.hash));
  BOOST_TEST(!password_matches(generated, after.hash));
}

BOOST_AUTO_TEST_SUITE_END()
