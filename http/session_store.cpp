#include "http/session_store.hpp"

#include "util/secrets.hpp"

#include <algorithm>

namespace hb {

session_store::session_store(std::chrono::seconds idle_timeout, std::chrono::seconds max_age,
                             std::size_t max_sessions)
    : idle_timeout_{idle_timeout}, max_age_{max_age}, max_sessions_{
                                                          std::max<std::size_t>(1, max_sessions)} {}

bool session_store::expired(const entry& e, timestamp now) const {
  return now - e.last_seen >= idle_timeout_ || now - e.created >= max_age_;
}

void session_store::make_room(timestamp now) {
  if (sessions_.size() < max_sessions_)
    return;
  std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
  if (sessions_.size() < max_sessions_)
    return;
  auto oldest =
      std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
        return a.second.last_seen < b.second.last_seen;
      });
  sessions_.erase(oldest);
}

session_store::issued session_store::create(timestamp now, std::uint64_t generation) {
  issued out{random_base64url(32), random_base64url(32)};
  std::lock_guard lock{mutex_};
  make_room(now);
  sessions_[hash_token(out.id)] = entry{out.csrf, now, now, generation};
  return out;
}

std::optional<std::string> session_store::touch(std::string_view id, timestamp now, bool activity,
                                                std::uint64_t generation) {
  if (id.empty())
    return std::nullopt;
  const auto key = hash_token(id);
  std::lock_guard lock{mutex_};
  auto it = sessions_.find(key);
  if (it == sessions_.end())
    return std::nullopt;
  if (expired(it->second, now) || it->second.generation != generation) {
    sessions_.erase(it);
    return std::nullopt;
  }
  if (activity)
    it->second.last_seen = now;
  return it->second.csrf;
}

void session_store::remove(std::string_view id) {
  const auto key = hash_token(id);
  std::lock_guard lock{mutex_};
  sessions_.erase(key);
}

std::size_t session_store::size() const {
  std::lock_guard lock{mutex_};
  return sessions_.size();
}

} // namespace hb
