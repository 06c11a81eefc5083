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

}  // namespace
}  // namespace reel::http
