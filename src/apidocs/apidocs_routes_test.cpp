#include "apidocs/apidocs_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

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

// /api/docs is the web client's page (app/web_routes), not a route of this package.
TEST_F(ApiDocsRoutesTest, RegistersTheDocumentRouteOnly) {
  ASSERT_EQ(router_.routes().size(), 1u);
  EXPECT_EQ(router_.routes()[0].method, "GET");
  EXPECT_EQ(router_.routes()[0].pattern, "/api/openapi.yaml");
}

// Swagger UI reads the document in the browser; a document that does not parse would show
// an error page there, so the build's tests catch it here first.
TEST(CompiledDocumentTest, IsAnOpenApiDocumentWithPaths) {
  const YAML::Node root = YAML::Load(std::string(OpenApiYaml()));
  EXPECT_EQ(root["openapi"].as<std::string>(), "3.0.3");
  ASSERT_TRUE(root["paths"].IsMap());
  EXPECT_TRUE(root["paths"]["/api/user/login"]["post"].IsMap());
  EXPECT_TRUE(root["paths"]["/api/docs"]["get"].IsMap());
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

TEST_F(ApiDocsRoutesTest, AnswersNotModifiedToAMatchingEtag) {
  const std::string path = "/api/openapi.yaml";
  const std::string etag(Get(path).Header("etag"));
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    const http::Response r = Get(path, {{"if-none-match", header}});
    EXPECT_EQ(r.status, 304) << header;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.Header("etag"), etag);
  }
  const http::Response stale = Get(path, {{"if-none-match", "\"0000000000000000\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_FALSE(stale.body.empty());
}

}  // namespace
}  // namespace reel::apidocs
