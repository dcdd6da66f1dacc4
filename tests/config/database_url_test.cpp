#include "config/database_url.hpp"

#include <boost/test/unit_test.hpp>

using namespace hb;

BOOST_AUTO_TEST_CASE(sqlite_urls_name_relative_absolute_and_memory_databases) {
  auto rel = parse_database_url("sqlite3://data/hb.db");
  BOOST_TEST((rel.backend == db_backend::sqlite3));
  BOOST_TEST(rel.sqlite_path == "data/hb.db");
  BOOST_TEST(rel.connect_string.find("db=data/hb.db") == 0u);
  BOOST_TEST(parse_database_url("sqlite3:///var/lib/hb/hb.db").sqlite_path == "/var/lib/hb/hb.db");
  BOOST_TEST(parse_database_url("sqlite3://:memory:").sqlite_path == ":memory:");
}

BOOST_AUTO_TEST_CASE(postgresql_urls_and_keyword_strings_are_accepted_and_passwords_masked) {
  auto url = parse_database_url("postgresql://hb:s3cret@localhost:5432/heartbeatd");
  BOOST_TEST((url.backend == db_backend::postgresql));
  BOOST_TEST(url.connect_string == "postgresql://hb:s3cret@localhost:5432/heartbeatd");
  BOOST_TEST(url.display.find("s3cret") == std::string::npos);

  auto kw = parse_database_url("host=/run/postgresql dbname=hb user=hb password=s3cret");
  BOOST_TEST((kw.backend == db_backend::postgresql));
  BOOST_TEST(kw.display.find("s3cret") == std::string::npos);
  BOOST_TEST(kw.display.find("dbname=hb") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_urls_say_what_is_wrong) {
  BOOST_CHECK_THROW(parse_database_url(""), std::invalid_argument);
  BOOST_CHECK_THROW(parse_database_url("sqlite3://"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_database_url("sqlite3://a b.db"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_database_url("postgresql://h:port/db"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_database_url("host=x nonsense_keyword=1"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_database_url("redis://localhost"), std::invalid_argument);
}
