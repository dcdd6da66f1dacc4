#include "model/write_batch.hpp"

#include <unordered_map>

namespace hb {

std::vector<last_heartbeat_update>
newest_heartbeat_per_application(const std::vector<heartbeat_event>& events) {
  std::vector<last_heartbeat_update> newest;
  std::unordered_map<std::int64_t, std::size_t> index;
  index.reserve(events.size());
  for (const auto& e : events) {
    auto [it, inserted] = index.try_emplace(e.application_id, newest.size());
    if (inserted)
      newest.emplace_back(e.application_id, e.received_at);
    else if (newest[it->second].second < e.received_at)
      newest[it->second].second = e.received_at;
  }
  return newest;
}

} // namespace hb
