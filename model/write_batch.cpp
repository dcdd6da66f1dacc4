#include "model/write_batch.hpp"

#include <algorithm>
#include <tuple>

namespace hb {

std::vector<last_heartbeat_update>
newest_heartbeat_per_application(const std::vector<heartbeat_event>& events) {
  // Sorting a copy costs two allocations per batch; a hash map cost one per application, on the
  // writer's thread that every heartbeat crosses.
  struct seen {
    std::int64_t id;
    timestamp at;
    std::size_t first; // position of the application's first heartbeat in `events`
  };
  std::vector<seen> all;
  all.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    all.push_back({events[i].application_id, events[i].received_at, i});
  std::sort(all.begin(), all.end(), [](const seen& a, const seen& b) {
    return std::tie(a.id, a.first) < std::tie(b.id, b.first);
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (kept > 0 && all[kept - 1].id == all[i].id)
      all[kept - 1].at = std::max(all[kept - 1].at, all[i].at);
    else
      all[kept++] = all[i];
  }
  all.resize(kept);
  std::sort(all.begin(), all.end(), [](const seen& a, const seen& b) { return a.first < b.first; });
  std::vector<last_heartbeat_update> newest;
  newest.reserve(all.size());
  for (const auto& s : all)
    newest.emplace_back(s.id, s.at);
  return newest;
}

} // namespace hb
