#pragma once

#include "config/database_url.hpp"

#include <soci/connection-pool.h>
#include <soci/soci.h>

#include <asio/thread_pool.hpp>
#include <functional>
#include <string>

namespace hb {

/// Sessions and threads for reads, so that no query ever runs on an HTTP or actor thread.
/// Reads never go through the writer (DESIGN.md).
class read_pool {
public:
  using query = std::function<void(soci::session&)>;
  using failure = std::function<void(const std::string& why)>;

  /// Opens `size` sessions; throws soci::soci_error when the database cannot be reached.
  read_pool(const database_url& url, std::size_t size);
  ~read_pool();
  read_pool(const read_pool&) = delete;
  read_pool& operator=(const read_pool&) = delete;

  /// Runs `q` on a pool thread with a session of its own. A dropped connection is re-opened and
  /// `q` retried once; if it still fails, `failed` gets the reason. Either way exactly one of
  /// `q` (completing) or `failed` is the outcome.
  void post(query q, failure failed);

  /// Runs what was posted and stops the threads; later posts are not run.
  void stop();

  /// Runs `q` on the calling thread with a leased session (blocks while all are busy).
  void run(const query& q);

private:
  database_url url_;
  soci::connection_pool sessions_;
  asio::thread_pool threads_;
};

} // namespace hb
