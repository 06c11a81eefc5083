#include "kit/http/router.hpp"

#include <gtest/gtest.h>

namespace reel::http {
namespace {

Route R(std::string method, std::string pattern) {
  return Route{std::move(method), std::move(pattern),
               [](Request&) -> Result<Response> { return Response::Json("{}"); }};
}

TEST(RouterTest, TrailingSlashIsOptionalBothWays) {
  Router router;
  router.Add(R("GET", "/douyin/feed/"));
  router.Add(R("POST", "/api/user/login"));
  EXPECT_TRUE(router.Find("GET", "/douyin/feed").route);
  EXPECT_TRUE(router.Find("GET", "/douyin/feed/").route);
  EXPECT_TRUE(router.Find("POST", "/api/user/login/").route);
}

TEST(RouterTest, CapturesPathParameters) {
  Router router;
  router.Add(R("GET", "/api/video/{id}"));
  router.Add(R("DELETE", "/api/video/{id}"));
  auto m = router.Find("DELETE", "/api/video/42");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->method, "DELETE");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
  EXPECT_FALSE(router.Find("GET", "/api/video/42/extra").route);
}

TEST(RouterTest, LiteralBeatsCapture) {
  Router router;
  router.Add(R("GET", "/api/video/{id}"));
  router.Add(R("GET", "/api/video/search"));
  EXPECT_EQ(router.Find("GET", "/api/video/search").route->pattern, "/api/video/search");
}

TEST(RouterTest, KnownPathWithOtherMethodIsReported) {
  Router router;
  router.Add(R("POST", "/douyin/user/login"));
  auto m = router.Find("GET", "/douyin/user/login");
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.path_known);
  EXPECT_FALSE(router.Find("GET", "/nowhere").path_known);
}

TEST(RouterTest, DuplicateRouteIsAProgrammingError) {
  Router router;
  router.Add(R("GET", "/a"));
  EXPECT_THROW(router.Add(R("GET", "/a/")), std::logic_error);
}

TEST(RouterTest, FallbackAnswersGetsForPathsNoRouteHas) {
  Router router;
  router.Add(R("GET", "/api/video/{id}"));
  router.Add(R("POST", "/api/user/login"));
  router.SetFallback(R("GET", "/{path...}"));
  auto m = router.Find("GET", "/profile/7");
  ASSERT_TRUE(m.route);
  EXPECT_TRUE(m.fallback);
  EXPECT_EQ(m.route->pattern, "/{path...}");
  EXPECT_TRUE(m.params.empty());
  EXPECT_TRUE(router.Find("GET", "/").fallback);
  // Real routes still win.
  auto real = router.Find("GET", "/api/video/3");
  ASSERT_TRUE(real.route);
  EXPECT_FALSE(real.fallback);
  EXPECT_EQ(real.route->pattern, "/api/video/{id}");
}

TEST(RouterTest, FallbackNeverAnswersOtherMethodsOrKnownPaths) {
  Router router;
  router.Add(R("POST", "/api/user/login"));
  router.SetFallback(R("GET", "/{path...}"));
  // Another method on an unknown path: no route at all (404), not the web app.
  EXPECT_FALSE(router.Find("POST", "/profile/7").route);
  EXPECT_FALSE(router.Find("DELETE", "/").route);
  // GET on a path that exists for POST: 405 material, not the fallback.
  auto m = router.Find("GET", "/api/user/login");
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.path_known);
  EXPECT_FALSE(m.fallback);
}

TEST(RouterTest, WithoutFallbackUnknownPathsMatchNothing) {
  Router router;
  router.Add(R("GET", "/a"));
  EXPECT_EQ(router.fallback(), nullptr);
  auto m = router.Find("GET", "/b");
  EXPECT_FALSE(m.route);
  EXPECT_FALSE(m.fallback);
}

TEST(RouterTest, OnlyOneGetFallback) {
  Router router;
  EXPECT_THROW(router.SetFallback(R("POST", "/{path...}")), std::logic_error);
  router.SetFallback(R("GET", "/{path...}"));
  EXPECT_NE(router.fallback(), nullptr);
  EXPECT_THROW(router.SetFallback(R("GET", "/{path...}")), std::logic_error);
}

}  // namespace
}  // namespace reel::http
