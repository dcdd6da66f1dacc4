#pragma once

#include "alerts/channel.hpp"

#include "actors/admin.hpp"
#include "actors/alert_metrics.hpp"
#include "actors/dispatcher.hpp"
#include "actors/registry.hpp"
#include "config/database_url.hpp"
#include "http/admin_secrets.hpp"
#include "http/api_types.hpp"
#include "http/application_json.hpp"
#include "http/metrics.hpp"
#include "util/logger.hpp"

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <string>

namespace hb {

class read_pool;

/// Everything the handlers need.
struct api_context {
  registry apps;
  admin_actor admin;
  read_pool* reads = nullptr;
  db_backend backend = db_backend::sqlite3;
  std::string public_url;
  std::shared_ptr<const admin_secrets> secrets; ///< what the bearer token is checked against
  timestamp started_at;
  clock_fn now = system_now;
  std::shared_ptr<http_metrics> http;
  std::shared_ptr<writer_metrics> writer;
  std::shared_ptr<status_counters> statuses;
  std::shared_ptr<const logger> log;
  dispatcher_actor dispatcher;             ///< sends test notifications
  alerts::channel_settings channels;       ///< which channels are configured, for validation
  std::shared_ptr<alert_metrics> alerting; ///< delivery counters; may be null
};

/// The HTTP API without HTTP plumbing: each handler takes a request and answers through the
/// responder, possibly later and from another thread. The actors never see any of this.
/// Held in a shared_ptr: answers that arrive late keep it alive.
class api : public std::enable_shared_from_this<api> {
public:
  explicit api(api_context ctx) : ctx_{std::move(ctx)} {}

  /// POST/GET/HEAD /heartbeat/{uuid}: 200 once committed, 404 unknown, 503 database down.
  void heartbeat(const api_request& req, const responder& respond) const;
  /// The same, for the server's fast path that skips building an api_request.
  void heartbeat(std::string_view uuid, timestamp received_at, std::string remote_addr,
                 const responder& respond) const;

  /// True when the request carries the admin token (checked in constant time).
  bool authorized(const api_request& req) const;

  void list_applications(const api_request& req, const responder& respond) const;
  void create_application(const api_request& req, const responder& respond) const;
  void get_application(const api_request& req, const responder& respond) const;
  void update_application(const api_request& req, const responder& respond) const;
  void delete_application(const api_request& req, const responder& respond) const;
  void list_heartbeats(const api_request& req, const responder& respond) const;

  void list_alerts(const api_request& req, const responder& respond) const;
  void create_alert(const api_request& req, const responder& respond) const;
  void get_alert(const api_request& req, const responder& respond) const;
  void update_alert(const api_request& req, const responder& respond) const;
  void delete_alert(const api_request& req, const responder& respond) const;
  /// Sends a test notification now and answers with the delivery result.
  void test_alert(const api_request& req, const responder& respond) const;
  void list_notifications(const api_request& req, const responder& respond) const;

  void healthz(const api_request& req, const responder& respond) const;
  void metrics(const api_request& req, const responder& respond) const;

  /// How a read shows an application's status: the same rules the actors apply.
  application_view view_of(const application_record& r) const;

  const api_context& context() const { return ctx_; }

private:
  using with_row = std::function<void(soci::session&, const application_record&)>;
  /// Reads the application the route's id names, on a read thread, and calls `then` with it;
  /// answers 404 when there is none and 503 when the database is away.
  void with_application(const api_request& req, const responder& respond, with_row then) const;

  using answer_row = std::function<api_response(const application_record&)>;
  /// Has the admin actor apply `op` (`uuid` names the application for a delete) and answers:
  /// 429/503 when the write failed, `missing` when there is no such row, else `answer(row)`.
  void apply_change(application_op op, std::string uuid, const responder& respond,
                    api_response missing, answer_row answer) const;

  api_context ctx_;
};

} // namespace hb
