#include "http/metrics.hpp"

#include <fmt/format.h>

namespace hb {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(route::count_)> route_names{
    "heartbeat",     "applications", "application", "heartbeats", "alerts",    "alert",
    "notifications", "healthz",      "metrics",     "ui",         "ui_static", "other"};
constexpr std::array<std::string_view, static_cast<std::size_t>(heartbeat_result::count_)>
    heartbeat_results{"ok", "unknown_application", "database_unavailable", "rejected",
                      "overloaded"};

template <class... Ts> void put(std::string& out, fmt::format_string<Ts...> f, Ts&&... xs) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Ts>(xs)...);
}

/// A Prometheus histogram from per-bucket counts; dividing a bound by `divisor` gives it in the
/// unit of `name` (a division, not a multiplication by the inverse: 50000 * 1e-6 prints as
/// 0.049999999999999996, and dashboards select buckets by their label).
/// Its count is that of its buckets, so that the two agree while observations go on.
template <std::size_t N>
void put_histogram(std::string& out, std::string_view name, std::string_view help,
                   const std::array<std::int64_t, N>& bounds,
                   const std::array<std::atomic<std::uint64_t>, N + 1>& buckets, double divisor,
                   double sum) {
  put(out, "# HELP {0} {1}\n# TYPE {0} histogram\n", name, help);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= N; ++i) {
    cumulative += buckets[i].load();
    if (i < N)
      put(out, "{}_bucket{{le=\"{}\"}} {}\n", name, static_cast<double>(bounds[i]) / divisor,
          cumulative);
    else
      put(out, "{}_bucket{{le=\"+Inf\"}} {}\n", name, cumulative);
  }
  put(out, "{0}_sum {1:.6f}\n{0}_count {2}\n", name, sum, cumulative);
}

} // namespace

std::string_view route_name(route r) { return route_names[static_cast<std::size_t>(r)]; }

std::size_t http_metrics::status_index(int status) {
  for (std::size_t i = 0; i + 1 < statuses.size(); ++i)
    if (statuses[i] == status)
      return i;
  return statuses.size() - 1;
}

void http_metrics::observe(route r, int status, std::chrono::microseconds took) {
  const auto i = static_cast<std::size_t>(r);
  requests_[i][status_index(status)].fetch_add(1, std::memory_order_relaxed);
  duration_us_[i].fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

void http_metrics::heartbeat(heartbeat_result r) {
  heartbeats_[static_cast<std::size_t>(r)].fetch_add(1, std::memory_order_relaxed);
}

std::string http_metrics::render(const writer_metrics& writer, const status_counters& apps,
                                 const alert_metrics* alerting) const {
  std::string out;
  if (alerting) {
    put(out, "# HELP heartbeatd_notifications_total Notification delivery attempts by outcome "
             "(retry: failed and will be retried; failed: given up; cancelled: not sent).\n"
             "# TYPE heartbeatd_notifications_total counter\n");
    for (const auto& [name, value] :
         {std::pair{"delivered", &alerting->delivered}, std::pair{"retry", &alerting->retried},
          std::pair{"failed", &alerting->failed}, std::pair{"cancelled", &alerting->cancelled}})
      put(out, "heartbeatd_notifications_total{{outcome=\"{}\"}} {}\n", name, value->load());
    put(out,
        "# HELP heartbeatd_notifications_in_flight Notifications being sent now.\n"
        "# TYPE heartbeatd_notifications_in_flight gauge\nheartbeatd_notifications_in_flight {}\n",
        alerting->in_flight.load());
    put(out,
        "# HELP heartbeatd_notification_rate_waits_total Times the alert rate limit "
        "(HEARTBEATD_ALERT_RATE) held sends back and set a wake-up for them.\n"
        "# TYPE heartbeatd_notification_rate_waits_total counter\n"
        "heartbeatd_notification_rate_waits_total {}\n",
        alerting->rate_waits.load());
  }

  put(out, "# HELP heartbeatd_heartbeats_received_total Heartbeats received, by outcome.\n"
           "# TYPE heartbeatd_heartbeats_received_total counter\n");
  for (std::size_t i = 0; i < heartbeats_.size(); ++i)
    put(out, "heartbeatd_heartbeats_received_total{{result=\"{}\"}} {}\n", heartbeat_results[i],
        heartbeats_[i].load());

  put(out, "# HELP heartbeatd_applications Registered applications by status (late counts as up).\n"
           "# TYPE heartbeatd_applications gauge\n");
  for (auto s : {app_status::new_, app_status::up, app_status::down, app_status::paused})
    put(out, "heartbeatd_applications{{status=\"{}\"}} {}\n", to_string(s), apps.count(s));

  put(out, "# HELP heartbeatd_http_requests_total HTTP requests by route and status.\n"
           "# TYPE heartbeatd_http_requests_total counter\n");
  for (std::size_t r = 0; r < requests_.size(); ++r)
    for (std::size_t s = 0; s < statuses.size(); ++s)
      if (auto n = requests_[r][s].load())
        put(out, "heartbeatd_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
            route_names[r], statuses[s] == 0 ? std::string{"other"} : std::to_string(statuses[s]),
            n);
  put(out, "# HELP heartbeatd_http_request_seconds_total Time spent answering, by route.\n"
           "# TYPE heartbeatd_http_request_seconds_total counter\n");
  for (std::size_t r = 0; r < duration_us_.size(); ++r)
    put(out, "heartbeatd_http_request_seconds_total{{route=\"{}\"}} {:.6f}\n", route_names[r],
        static_cast<double>(duration_us_[r].load()) / 1e6);

  // Read once: the batch-size histogram's sum is the same items.
  const auto items = writer.items.load();
  put(out,
      "# HELP heartbeatd_writer_batches_total Transactions committed by the writer.\n"
      "# TYPE heartbeatd_writer_batches_total counter\n"
      "heartbeatd_writer_batches_total {}\n",
      writer.batches.load());
  put(out,
      "# HELP heartbeatd_writer_items_total Items (heartbeats, status and application changes) "
      "committed.\n# TYPE heartbeatd_writer_items_total counter\nheartbeatd_writer_items_total "
      "{}\n",
      items);
  put(out,
      "# HELP heartbeatd_writer_failed_batches_total Transactions that failed (nothing of them "
      "was acknowledged).\n# TYPE heartbeatd_writer_failed_batches_total counter\n"
      "heartbeatd_writer_failed_batches_total {}\n",
      writer.failed_batches.load());
  put(out,
      "# HELP heartbeatd_writer_overflow_batches_total Batches of heartbeats committed beside "
      "another one, in the session kept for status changes, because heartbeats backed up.\n"
      "# TYPE heartbeatd_writer_overflow_batches_total counter\n"
      "heartbeatd_writer_overflow_batches_total {}\n",
      writer.overflow_batches.load());
  put_histogram(out, "heartbeatd_writer_commit_seconds", "Commit latency of writer transactions.",
                writer.latency_bounds_us, writer.latency_buckets, 1e6,
                static_cast<double>(writer.commit_us_sum.load()) / 1e6);
  put_histogram(out, "heartbeatd_writer_batch_size",
                "Items (heartbeats, status and application changes) per committed transaction.",
                writer.batch_size_bounds, writer.batch_size_buckets, 1.0,
                static_cast<double>(items));
  return out;
}

} // namespace hb
