#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kit/clock/clock.hpp"
#include "kit/http/message.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"

namespace reel::http {

/// Takes the client's X-Request-Id (when sane) or makes one, and echoes it on the response.
Middleware RequestIdMiddleware();

/// One log line per request: method, route, path, status, latency_ms, request_id, ip.
Middleware AccessLogMiddleware(const Clock& clock);

/// Counts each request and observes its latency (reel_http_requests_total,
/// reel_http_request_duration_seconds) by route pattern, method and status class: label
/// values from bounded sets whatever the client sends.
Middleware RequestMetricsMiddleware(const Clock& clock);

/// Turns an exception escaping a handler into the route's 500 response, logged with the
/// request id; the client never sees the exception text.
Middleware RecoverMiddleware();

/// Answers CORS preflights and marks responses for allowed origins ("*" allows any;
/// http.cors_origins). A preflight from an allowed origin is allowed the headers it asks
/// for (Access-Control-Request-Headers: at most 32 header names of at most 64 characters,
/// else refused with 400 CORS_HEADERS_INVALID in the path's shape) and cached for 10 min
/// (Access-Control-Max-Age). X-Request-Id, Retry-After and the range headers are exposed.
Middleware CorsMiddleware(std::vector<std::string> allowed_origins);

/// Rate limits of one route group: a bucket per client IP and one per signed-in user.
struct GroupLimits {
  limits::Rate ip{300, 600};
  limits::Rate user{50, 200};
};

struct RateLimitConfig {
  bool enabled = true;
  /// Everything not named below. Sized so a class of students behind one NAT address
  /// browsing at once stays well inside the per-IP bucket.
  GroupLimits default_group{};
  /// Register, login and refresh: Argon2id makes each one cost real CPU.
  GroupLimits auth_group{{20, 100}, {5, 20}};
};

/// Who is calling: a user id when the request carries a valid access token.
using Identify = std::function<std::optional<std::int64_t>(const Request&)>;

/// Token-bucket limits per route group (Route::group; "none" is never limited). A refused
/// request is rendered by its route: HTTP 429 + Retry-After on /api, status_code 429 on
/// /douyin. Buckets in this process's memory.
Middleware RateLimitMiddleware(const RateLimitConfig& config, const Clock& clock,
                               Identify identify);

/// The same over the buckets `limiters` makes (limits::RedisRateLimiter: shared by the
/// replicas), named "<group>.ip" and "<group>.user" for the groups "default" and "auth".
Middleware RateLimitMiddleware(const RateLimitConfig& config,
                               const limits::RateLimiterFactory& limiters, Identify identify);

}  // namespace reel::http
