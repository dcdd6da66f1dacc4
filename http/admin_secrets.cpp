#include "http/admin_secrets.hpp"

#include "persistence/admin_credentials.hpp"
#include "persistence/read_pool.hpp"

#include <atomic>
#include <condition_variable>

namespace hb {

admin_secrets::admin_secrets(secret token, secret password)
    : token_{std::move(token)}, password_{std::move(password)} {}

std::string admin_secrets::token_hash() const {
  const std::lock_guard lock{mutex_};
  return token_.hash;
}

admin_secrets::password_state admin_secrets::password() const {
  const std::lock_guard lock{mutex_};
  return {password_.hash, password_generation_};
}

std::uint64_t admin_secrets::password_generation() const {
  const std::lock_guard lock{mutex_};
  return password_generation_;
}

admin_secrets::changes admin_secrets::take_stored(const std::optional<std::string>& token,
                                                  const std::optional<std::string>& password) {
  const std::lock_guard lock{mutex_};
  changes changed;
  // Nothing stored (a database emptied by hand) keeps what is in use: no secret would be worse.
  if (!token_.fixed && token && *token != token_.hash) {
    token_.hash = *token;
    changed.token = true;
  }
  if (!password_.fixed && password && *password != password_.hash) {
    password_.hash = *password;
    ++password_generation_;
    changed.password = true;
  }
  return changed;
}

admin_secrets_watch::admin_secrets_watch(read_pool& reads, std::shared_ptr<admin_secrets> secrets,
                                         std::shared_ptr<const logger> log,
                                         std::chrono::milliseconds period)
    : thread_{[&reads, secrets = std::move(secrets), log = std::move(log),
               period](const std::stop_token& stop) {
        std::mutex m;
        std::condition_variable_any wake;
        std::unique_lock lock{m};
        // One check at a time: with a database that stops answering, checks would otherwise
        // pile up on the read pool, one a second, ahead of the requests it serves.
        auto in_flight = std::make_shared<std::atomic<bool>>(false);
        // Wakes every period, or at once when the watch is destroyed.
        while (!wake.wait_for(lock, stop, period, [&stop] { return stop.stop_requested(); })) {
          if (in_flight->exchange(true))
            continue;
          reads.post(
              // The pool ends each post with the query completing or with the failure.
              [secrets, log, in_flight](soci::session& session) {
                const auto changed = secrets->take_stored(stored_admin_token_hash(session),
                                                          stored_admin_password_hash(session));
                in_flight->store(false);
                if (changed.token)
                  log->info("the admin API token was replaced in the database: the previous one "
                            "is refused from now on");
                if (changed.password)
                  log->info("the web UI password was replaced in the database: the previous one "
                            "is refused, and signed-in sessions end, from now on");
              },
              // The database being away is reported elsewhere (/healthz, the writer); the
              // secrets in use stay until it is back.
              [in_flight](const std::string&) { in_flight->store(false); });
        }
      }} {}

} // namespace hb
