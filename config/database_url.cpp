#include "config/database_url.hpp"

#include <fmt/format.h>

#include <libpq-fe.h>
#include <memory>
#include <regex>
#include <stdexcept>

namespace hb {

namespace {

constexpr std::string_view sqlite_scheme = "sqlite3://";
constexpr int sqlite_busy_timeout_s = 5;

database_url parse_sqlite(std::string_view text) {
  std::string path{text.substr(sqlite_scheme.size())};
  if (path.empty())
    throw std::invalid_argument("sqlite3:// needs a file path, e.g. sqlite3://data/heartbeatd.db");
  // SOCI splits its connect string on white space.
  if (path.find_first_of(" \t\"'") != std::string::npos)
    throw std::invalid_argument("the SQLite path must not contain spaces or quotes");
  database_url url;
  url.backend = db_backend::sqlite3;
  url.sqlite_path = path;
  url.connect_string = fmt::format("db={} timeout={}", path, sqlite_busy_timeout_s);
  url.display = fmt::format("sqlite3://{}", path);
  return url;
}

} // namespace

std::string mask_password(std::string_view conninfo) {
  // URI form: scheme://user:password@host...
  static const std::regex uri_password{R"(^([a-z]+://[^:/@]*:)[^@]*@)"};
  // keyword form: password=secret or password='se cret'
  static const std::regex keyword_password{R"(password\s*=\s*('[^']*'|\S+))"};
  std::string text{conninfo};
  text = std::regex_replace(text, uri_password, "$1***@");
  return std::regex_replace(text, keyword_password, "password=***");
}

namespace {

database_url parse_postgresql(std::string_view text) {
  std::string conninfo{text};
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options{
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree};
  if (!options) {
    std::string why = error != nullptr ? error : "libpq could not parse it";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
      why.pop_back();
    throw std::invalid_argument(why);
  }
  // libpq only checks the port when it connects; a typo should stop start-up instead.
  for (auto* o = options.get(); o->keyword != nullptr; ++o) {
    if (std::string_view{o->keyword} != "port" || o->val == nullptr)
      continue;
    static const std::regex port_list{R"(^\d{1,5}(,\d{1,5})*$)"};
    if (!std::regex_match(o->val, port_list))
      throw std::invalid_argument(fmt::format("invalid port '{}'", o->val));
  }
  database_url url;
  url.backend = db_backend::postgresql;
  url.connect_string = conninfo;
  url.display = mask_password(conninfo);
  return url;
}

} // namespace

database_url parse_database_url(std::string_view text) {
  if (text.starts_with(sqlite_scheme))
    return parse_sqlite(text);
  if (text.starts_with("postgresql://") || text.starts_with("postgres://"))
    return parse_postgresql(text);
  if (text.find("://") == std::string_view::npos && text.find('=') != std::string_view::npos)
    return parse_postgresql(text);
  throw std::invalid_argument("expected sqlite3://PATH, postgresql://USER:PASSWORD@HOST:PORT/DB "
                              "or a libpq keyword string such as 'host=... dbname=...'");
}

} // namespace hb
