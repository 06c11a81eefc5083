#include <string>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {

// The buckets of one route group.
struct GroupBuckets {
  GroupBuckets(const GroupLimits& limits, const Clock& clock)
      : per_ip(limits.ip, clock), per_user(limits.user, clock) {}
  limits::KeyedRateLimiter per_ip;
  limits::KeyedRateLimiter per_user;
};

Status Limited(std::chrono::seconds retry_after, std::string_view who) {
  return ResourceExhausted("RATE_LIMITED",
                           "too many requests from this " + std::string(who) + "; retry in " +
                               std::to_string(retry_after.count()) + " s",
                           retry_after);
}

}  // namespace

Middleware RateLimitMiddleware(const RateLimitConfig& config, const Clock& clock,
                               Identify identify) {
  if (!config.enabled) return [](Request& req, const Next& next) { return next(req); };
  auto default_group = std::make_shared<GroupBuckets>(config.default_group, clock);
  auto auth_group = std::make_shared<GroupBuckets>(config.auth_group, clock);
  return
      [default_group, auth_group, identify = std::move(identify)](Request& req, const Next& next) {
        if (!req.route || req.route->group == "none") return next(req);
        GroupBuckets& buckets = req.route->group == "auth" ? *auth_group : *default_group;
        if (auto d = buckets.per_ip.Take(req.remote_ip); !d.allowed) {
          return RenderError(req, Limited(d.retry_after, "address"));
        }
        if (auto user = identify(req)) {
          if (auto d = buckets.per_user.Take(std::to_string(*user)); !d.allowed) {
            return RenderError(req, Limited(d.retry_after, "account"));
          }
        }
        return next(req);
      };
}

}  // namespace reel::http
