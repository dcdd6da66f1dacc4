#include "support/pg_cluster.hpp"

#include "support/test_database.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace hb {

namespace {

std::string pg_bin() {
  const char* dir = std::getenv("HEARTBEATD_PG_BIN");
  return dir != nullptr ? dir : "/usr/lib/postgresql/15/bin";
}

// initdb refuses to run as root.
std::string as_postgres() { return geteuid() == 0 ? "runuser -u postgres -- " : ""; }

} // namespace

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot find a free port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

pg_cluster::pg_cluster() : dir_{make_temp_dir("hb-pg-")}, port_{free_port()} {
  if (geteuid() == 0)
    run(fmt::format("chown postgres {}", dir_.string()));
  run(fmt::format("{}{}/initdb -D {}/data -U postgres -A trust -E UTF8 --no-sync >/dev/null",
                  as_postgres(), pg_bin(), dir_.string()));
  start();
}

pg_cluster::~pg_cluster() {
  try {
    stop();
  } catch (...) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void pg_cluster::start() {
  run(fmt::format("{}{}/pg_ctl -D {}/data -w -l {}/log -o \"-p {} -k {} "
                  "-c listen_addresses=127.0.0.1\" start >/dev/null",
                  as_postgres(), pg_bin(), dir_.string(), dir_.string(), port_, dir_.string()));
  running_ = true;
}

void pg_cluster::stop() {
  if (!running_)
    return;
  running_ = false;
  run(fmt::format("{}{}/pg_ctl -D {}/data -w -m fast stop >/dev/null", as_postgres(), pg_bin(),
                  dir_.string()));
}

std::string pg_cluster::conninfo(const std::string& dbname) const {
  return fmt::format("host=127.0.0.1 port={} user=postgres dbname={} connect_timeout=2", port_,
                     dbname);
}

void pg_cluster::run(const std::string& command) const {
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("command failed: " + command);
}

} // namespace hb
