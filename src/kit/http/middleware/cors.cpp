#include <algorithm>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {
constexpr std::string_view kAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, token, X-Request-Id, Range, traceparent";
constexpr std::string_view kExposeHeaders =
    "X-Request-Id, Retry-After, Content-Range, Accept-Ranges, ETag";
}  // namespace

Middleware CorsMiddleware(std::vector<std::string> allowed_origins) {
  const bool any =
      std::find(allowed_origins.begin(), allowed_origins.end(), "*") != allowed_origins.end();
  return [any, allowed = std::move(allowed_origins)](Request& req, const Next& next) {
    const std::string_view origin = req.Header("origin");
    const bool allowed_origin = !origin.empty() && (any || std::find(allowed.begin(), allowed.end(),
                                                                     origin) != allowed.end());
    const bool preflight =
        req.method == "OPTIONS" && !req.Header("access-control-request-method").empty();
    Response response;
    if (preflight) {
      response.status = 204;
      if (allowed_origin) {
        response.SetHeader("access-control-allow-methods", std::string(kAllowMethods));
        response.SetHeader("access-control-allow-headers", std::string(kAllowHeaders));
        response.SetHeader("access-control-max-age", "600");
      }
    } else {
      response = next(req);
    }
    if (allowed_origin) {
      // Echo the origin (not "*") so credentialed requests work; Vary keeps caches honest.
      response.SetHeader("access-control-allow-origin", std::string(origin));
      response.SetHeader("access-control-expose-headers", std::string(kExposeHeaders));
      response.SetHeader("vary", "Origin");
    }
    return response;
  };
}

}  // namespace reel::http
