#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "kit/http/middleware/middleware.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::http {
namespace {

prometheus::Counter& LimitedCounter(std::string_view group, std::string_view bucket) {
  static auto& limited = metrics::CounterFamily(
      "reel_rate_limited_total", "Requests refused by the rate limits, by group and bucket.");
  return limited.Add({{"group", std::string(group)}, {"bucket", std::string(bucket)}});
}

// The buckets of one route group ("default", "auth").
struct GroupBuckets {
  GroupBuckets(std::string_view group, const GroupLimits& rates,
               const limits::RateLimiterFactory& make)
      : name(group),
        per_ip(make(std::string(group) + ".ip", rates.ip)),
        per_user(make(std::string(group) + ".user", rates.user)) {
    // From 0, so a first refusal shows as an increase.
    LimitedCounter(group, "ip");
    LimitedCounter(group, "user");
  }
  std::string name;
  std::unique_ptr<limits::RateLimiter> per_ip;
  std::unique_ptr<limits::RateLimiter> per_user;
};

// Counted by group ("default", "auth") and by whose bucket ran dry ("ip", "user").
Status Limited(std::string_view group, std::chrono::seconds retry_after, std::string_view who) {
  LimitedCounter(group, who == "address" ? "ip" : "user").Increment();
  return ResourceExhausted("RATE_LIMITED",
                           "too many requests from this " + std::string(who) + "; retry in " +
                               std::to_string(retry_after.count()) + " s",
                           retry_after);
}

}  // namespace

Middleware RateLimitMiddleware(const RateLimitConfig& config, const Clock& clock,
                               Identify identify) {
  return RateLimitMiddleware(config, limits::LocalRateLimiters(clock), std::move(identify));
}

Middleware RateLimitMiddleware(const RateLimitConfig& config,
                               const limits::RateLimiterFactory& limiters, Identify identify) {
  if (!config.enabled) return [](Request& req, const Next& next) { return next(req); };
  auto default_group = std::make_shared<GroupBuckets>("default", config.default_group, limiters);
  auto auth_group = std::make_shared<GroupBuckets>("auth", config.auth_group, limiters);
  return
      [default_group, auth_group, identify = std::move(identify)](Request& req, const Next& next) {
        if (!req.route || req.route->group == "none") return next(req);
        GroupBuckets& buckets = req.route->group == "auth" ? *auth_group : *default_group;
        if (auto d = buckets.per_ip->Take(req.remote_ip); !d.allowed) {
          return RenderError(req, Limited(buckets.name, d.retry_after, "address"));
        }
        if (auto user = identify(req)) {
          if (auto d = buckets.per_user->Take(std::to_string(*user)); !d.allowed) {
            return RenderError(req, Limited(buckets.name, d.retry_after, "account"));
          }
        }
        return next(req);
      };
}

}  // namespace reel::http
