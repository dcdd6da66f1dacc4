# Every dependency comes from Debian 12 packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(fmt CONFIG REQUIRED) # must precede restinio: its config does not find fmt
find_package(restinio CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)

# CAF 0.17 ships neither a CMake config nor pkg-config files.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(hb::caf INTERFACE IMPORTED)
target_include_directories(hb::caf INTERFACE ${CAF_INCLUDE_DIR})
target_link_libraries(hb::caf INTERFACE ${CAF_IO_LIBRARY} ${CAF_CORE_LIBRARY} Threads::Threads)

# SOCI 4.0 has no CMake config in Debian either.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
add_library(hb::soci INTERFACE IMPORTED)
target_include_directories(hb::soci INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(hb::soci INTERFACE
  ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_SQLITE3_LIBRARY} ${SOCI_CORE_LIBRARY}
  PostgreSQL::PostgreSQL SQLite::SQLite3 ${CMAKE_DL_LIBS})

find_library(SODIUM_LIBRARY sodium REQUIRED)
add_library(hb::sodium INTERFACE IMPORTED)
target_link_libraries(hb::sodium INTERFACE ${SODIUM_LIBRARY})

# RESTinio's express router matches routes with PCRE2 (http/server.cpp): std::regex and its
# locale look-ups took about 5% of the server's CPU under heartbeat load.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
