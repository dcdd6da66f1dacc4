#pragma once

// Included by http/server.cpp only: RESTinio is costly to compile (STACK.md).

#include <restinio/all.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace hb {

/// The path's UUID segment when the request is a heartbeat the router needs not see: POST, GET or
/// HEAD of `/heartbeat/{segment}` with a segment free of `/` and percent escapes. Any other
/// heartbeat path (a trailing slash, escapes, another method) goes through the router as before.
inline std::optional<std::string_view>
plain_heartbeat_uuid(const restinio::http_request_header_t& h) {
  const auto method = h.method();
  if (method != restinio::http_method_post() && method != restinio::http_method_get() &&
      method != restinio::http_method_head())
    return std::nullopt;
  constexpr std::string_view prefix = "/heartbeat/";
  const auto path = h.path();
  if (!path.starts_with(prefix))
    return std::nullopt;
  const auto segment = path.substr(prefix.size());
  if (segment.empty() || segment.find_first_of("/%") != std::string_view::npos)
    return std::nullopt;
  return segment;
}

/// What RESTinio calls for every request. Heartbeats skip the express router, whose route a
/// prefix tells: PCRE2 alone was 3.5% of the server's samples under heartbeats, and the
/// router's path normalisation and the api_request built for other routes cost more.
template <class Router> class heartbeat_front_door {
public:
  using heartbeat_handler = std::function<restinio::request_handling_status_t(
      const restinio::request_handle_t&, std::string_view uuid)>;

  heartbeat_front_door(std::unique_ptr<Router> router, heartbeat_handler heartbeat)
      : router_{std::move(router)}, heartbeat_{std::move(heartbeat)} {}

  restinio::request_handling_status_t operator()(restinio::request_handle_t req) const {
    if (auto uuid = plain_heartbeat_uuid(req->header()))
      return heartbeat_(req, *uuid);
    return (*router_)(std::move(req));
  }

private:
  std::unique_ptr<Router> router_;
  heartbeat_handler heartbeat_;
};

} // namespace hb
