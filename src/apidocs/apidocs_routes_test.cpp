#include "apidocs/apidocs_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace reel::apidocs {
namespace {

using ::testing::HasSubstr;

class ApiDocsRoutesTest : public ::testing::Test {
 protected:
  ApiDocsRoutesTest() { AddApiDocsRoutes(router_); }

  http::Response Get(const std::string& path, http::Headers headers = {}) {
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.headers = std::move(headers);
    auto match = router_.Find("GET", path);
    EXPECT_NE(match.route, nullptr) << path;
    if (!match.route) return {};
    auto result = match.route->handler(req);
    EXPECT_TRUE(result.ok()) << result.status().message;
    return result.ok() ? *result : http::Response{};
  }

  http::Router router_;
};

TEST_F(ApiDocsRoutesTest, RegistersBothRoutesForGet) {
  ASSERT_EQ(router_.routes().size(), 2u);
  EXPECT_EQ(router_.routes()[0].method, "GET");
  EXPECT_EQ(router_.routes()[0].pattern, "/api/openapi.yaml");
  EXPECT_EQ(router_.routes()[1].method, "GET");
  EXPECT_EQ(router_.routes()[1].pattern, "/api/docs");
}

TEST_F(ApiDocsRoutesTest, ServesTheCompiledYaml) {
  const http::Response r = Get("/api/openapi.yaml");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, OpenApiYaml());
  EXPECT_THAT(r.body, HasSubstr("openapi: 3.0.3"));
  EXPECT_EQ(r.Header("content-type"), "application/yaml; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "public, max-age=300");
  EXPECT_EQ(r.Header("etag").size(), 18u);  // quotes around 16 hex digits
}

TEST_F(ApiDocsRoutesTest, ServesTheRenderedPage) {
  const http::Response r = Get("/api/docs");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'");
  EXPECT_THAT(r.body, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(r.body, HasSubstr("<code>/api/video/{id}</code>"));
  EXPECT_NE(r.Header("etag"), Get("/api/openapi.yaml").Header("etag"));
}

TEST_F(ApiDocsRoutesTest, AnswersNotModifiedToAMatchingEtag) {
  for (const std::string path : {"/api/openapi.yaml", "/api/docs"}) {
    const std::string etag(Get(path).Header("etag"));
    for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
      const http::Response r = Get(path, {{"if-none-match", header}});
      EXPECT_EQ(r.status, 304) << path << " " << header;
      EXPECT_TRUE(r.body.empty());
      EXPECT_EQ(r.Header("etag"), etag);
    }
    const http::Response stale = Get(path, {{"if-none-match", "\"0000000000000000\""}});
    EXPECT_EQ(stale.status, 200);
    EXPECT_FALSE(stale.body.empty());
  }
}

}  // namespace
}  // namespace reel::apidocs
