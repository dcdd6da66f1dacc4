#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace hb {

/// A PostgreSQL cluster of a test's own, for tests that stop and start the server. Made with
/// initdb in a temporary directory (as the postgres user when running as root), on a free port.
class pg_cluster {
public:
  pg_cluster();
  ~pg_cluster();
  pg_cluster(const pg_cluster&) = delete;
  pg_cluster& operator=(const pg_cluster&) = delete;

  void start();
  void stop();
  /// A libpq conninfo for `dbname` on this cluster.
  std::string conninfo(const std::string& dbname = "postgres") const;

private:
  void run(const std::string& command) const;

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();

} // namespace hb
