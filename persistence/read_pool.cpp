#include "persistence/read_pool.hpp"

#include "persistence/connection.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <asio/post.hpp>

namespace hb {

read_pool::read_pool(const database_url& url, std::size_t size)
    : url_{url}, sessions_{size}, threads_{size} {
  const auto& backend =
      url.backend == db_backend::sqlite3 ? *soci::factory_sqlite3() : *soci::factory_postgresql();
  for (std::size_t i = 0; i < size; ++i) {
    auto& s = sessions_.at(i);
    s.open(backend, url.connect_string);
    configure_session(s, url.backend);
  }
}

read_pool::~read_pool() { stop(); }

void read_pool::stop() { threads_.join(); }

void read_pool::run(const query& q) {
  soci::session session{sessions_};
  try {
    q(session);
  } catch (const soci::soci_error&) {
    if (session.is_connected())
      throw;
    // The server closed the connection (restart, failover): reconnect and try once more.
    session.reconnect();
    configure_session(session, url_.backend);
    q(session);
  }
}

void read_pool::post(query q, failure failed) {
  asio::post(threads_, [this, q = std::move(q), failed = std::move(failed)] {
    try {
      run(q);
    } catch (const std::exception& e) {
      failed(e.what());
    }
  });
}

} // namespace hb
