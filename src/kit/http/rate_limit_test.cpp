// The rate-limit middleware over the buckets a factory makes: one limiter per group and
// kind, named so that shared buckets (RedisRateLimiter) of different groups never meet.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kit/http/middleware/middleware.hpp"

namespace reel::http {
namespace {

Response Ok(Request&) {
  return Response::Json("{}");
}

Route RouteIn(std::string group) {
  Route route;
  route.method = "GET";
  route.pattern = "/api/thing";
  route.group = std::move(group);
  return route;
}

class RateLimitMiddlewareTest : public ::testing::Test {
 protected:
  // Local buckets, with the names the middleware asked for written down.
  limits::RateLimiterFactory Recording() {
    return [this](std::string_view name, const limits::Rate& rate) {
      names_.emplace_back(name);
      return limits::LocalRateLimiters(clock_)(name, rate);
    };
  }

  Response Call(const Middleware& limit, const Route& route, const std::string& ip) {
    Request req;
    req.method = route.method;
    req.path = "/api/thing";
    req.remote_ip = ip;
    req.route = &route;
    return limit(req, Ok);
  }

  ManualClock clock_;
  std::vector<std::string> names_;
};

TEST_F(RateLimitMiddlewareTest, EachGroupAndKindHasALimiterOfItsOwnName) {
  RateLimitConfig config;
  config.default_group = {{1, 2}, {1, 5}};
  config.auth_group = {{1, 1}, {1, 5}};
  const Middleware limit =
      RateLimitMiddleware(config, Recording(), [](const Request&) { return std::nullopt; });
  std::sort(names_.begin(), names_.end());
  EXPECT_EQ(names_,
            (std::vector<std::string>{"auth.ip", "auth.user", "default.ip", "default.user"}));

  const Route normal = RouteIn("default");
  const Route auth = RouteIn("auth");
  EXPECT_EQ(Call(limit, auth, "192.0.2.1").status, 200);
  const Response refused = Call(limit, auth, "192.0.2.1");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.Header("retry-after"), "1");
  // The default group's bucket for the same address is its own.
  EXPECT_EQ(Call(limit, normal, "192.0.2.1").status, 200);
  EXPECT_EQ(Call(limit, normal, "192.0.2.1").status, 200);
  EXPECT_EQ(Call(limit, normal, "192.0.2.1").status, 429);
}

TEST_F(RateLimitMiddlewareTest, SignedInUsersAreLimitedPerAccountToo) {
  RateLimitConfig config;
  config.default_group = {{1, 100}, {1, 1}};
  const Middleware limit =
      RateLimitMiddleware(config, Recording(), [](const Request&) { return 42; });
  const Route normal = RouteIn("default");
  EXPECT_EQ(Call(limit, normal, "192.0.2.1").status, 200);
  // Another address, the same account.
  EXPECT_EQ(Call(limit, normal, "192.0.2.2").status, 429);
}

TEST_F(RateLimitMiddlewareTest, DisabledMakesNoLimiters) {
  RateLimitConfig config;
  config.enabled = false;
  config.default_group = {{1, 1}, {1, 1}};
  const Middleware limit =
      RateLimitMiddleware(config, Recording(), [](const Request&) { return std::nullopt; });
  EXPECT_TRUE(names_.empty());
  const Route normal = RouteIn("default");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call(limit, normal, "192.0.2.1").status, 200);
}

}  // namespace
}  // namespace reel::http
