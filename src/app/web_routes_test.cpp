#include "app/web_routes.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace reel::app {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A dist directory like Vite's, and a secret beside it that must stay unreachable.
class WebRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("reel-web-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dist_ = root_ / "dist";
    WriteFile(dist_ / "index.html", "<!doctype html><title>reel</title>");
    WriteFile(dist_ / "assets" / "index-AbC123.js", "console.log(1)");
    WriteFile(dist_ / "favicon.svg", "<svg/>");
    WriteFile(dist_ / "api-docs.html", "<!doctype html><title>reel API</title>");
    WriteFile(dist_ / ".hidden", "hidden");
    WriteFile(root_ / "secret.txt", "secret");
    AddWebRoutes(router_, {dist_.string(), 3u << 20});
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs the request the way the server would: the route found, then its handler.
  Result<http::Response> Get(const std::string& path, http::Headers headers = {}) {
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.headers = std::move(headers);
    auto match = router_.Find("GET", path);
    if (!match.route) return NotFound("ROUTE_NOT_FOUND", "no route");
    return match.route->handler(req);
  }

  fs::path root_;
  fs::path dist_;
  http::Router router_;
};

TEST_F(WebRoutesTest, HashedAssetsAreCachedForAYear) {
  auto r = Get("/assets/index-AbC123.js");
  ASSERT_TRUE(r.ok()) << r.status().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r->Header("cache-control"), "public, max-age=31536000, immutable");
  ASSERT_TRUE(r->file);
  EXPECT_EQ(r->file->path, (dist_ / "assets" / "index-AbC123.js").string());
  EXPECT_FALSE(r->Header("etag").empty());
}

TEST_F(WebRoutesTest, IndexAndClientRoutesAreRevalidated) {
  for (const std::string path : {"/", "/index.html", "/u/7", "/upload/", "/search"}) {
    auto r = Get(path);
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().message;
    EXPECT_EQ(r->Header("content-type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(r->Header("cache-control"), "no-cache") << path;
    ASSERT_TRUE(r->file) << path;
    EXPECT_EQ(r->file->path, (dist_ / "index.html").string()) << path;
  }
  auto icon = Get("/favicon.svg");
  ASSERT_TRUE(icon.ok());
  EXPECT_EQ(icon->Header("content-type"), "image/svg+xml");
  EXPECT_EQ(icon->Header("cache-control"), "no-cache");
}

TEST_F(WebRoutesTest, ConditionalRequestGetsNotModified) {
  auto first = Get("/");
  ASSERT_TRUE(first.ok());
  const std::string etag(first->Header("etag"));
  auto again = Get("/", {{"if-none-match", etag}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
}

TEST_F(WebRoutesTest, MissingAssetIsNotFoundRatherThanHtml) {
  auto r = Get("/assets/index-Old999.js");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason, "FILE_NOT_FOUND");
}

TEST_F(WebRoutesTest, ServerPathsStayServerErrors) {
  for (const std::string path : {"/api/nope", "/api", "/douyin/x", "/media/abc", "/healthz/x"}) {
    auto r = Get(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().reason, "ROUTE_NOT_FOUND") << path;
  }
  // Only whole segments count: /apis is a client route.
  auto r = Get("/apis");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->file->path, (dist_ / "index.html").string());
}

TEST_F(WebRoutesTest, NothingOutsideDistOrHiddenIsReachable) {
  for (const std::string path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                                 "/.hidden", "/a%00b", "/a\\b", "/%zz"}) {
    auto r = Get(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code, Code::kNotFound) << path;
  }
}

TEST_F(WebRoutesTest, SymlinkedDirectoryOutOfDistIsNotFollowed) {
  fs::create_directory_symlink(root_, dist_ / "linked");
  auto r = Get("/linked/secret.txt");
  // Not served as a file: the client route answers instead.
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->file);
  EXPECT_EQ(r->file->path, (dist_ / "index.html").string());
}

TEST_F(WebRoutesTest, ConfigTellsTheClientTheUploadLimit) {
  auto r = Get("/web-config.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, R"({"max_upload_bytes":3145728})");
  EXPECT_EQ(r->Header("content-type"), "application/json; charset=utf-8");
}

TEST_F(WebRoutesTest, WithoutABuildEveryPageSaysHowToBuild) {
  fs::remove(dist_ / "index.html");
  auto r = Get("/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r->body.find("npm run build"), std::string::npos);
  EXPECT_NE(r->body.find(dist_.string()), std::string::npos);
  auto api = Get("/api/x");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.status().reason, "ROUTE_NOT_FOUND");
  auto config = Get("/web-config.json");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->body, R"({"max_upload_bytes":3145728})");
}

TEST_F(WebRoutesTest, ApiDocsIsTheBuiltDocsPageUnderAPolicy) {
  ASSERT_EQ(router_.routes().size(), 1u);
  EXPECT_EQ(router_.routes()[0].method, "GET");
  EXPECT_EQ(router_.routes()[0].pattern, "/api/docs");
  for (const std::string path : {"/api/docs", "/api/docs/"}) {
    auto r = Get(path);
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().message;
    EXPECT_EQ(r->status, 200) << path;
    ASSERT_TRUE(r->file) << path;
    EXPECT_EQ(r->file->path, (dist_ / "api-docs.html").string()) << path;
    EXPECT_EQ(r->Header("content-type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(r->Header("cache-control"), "no-cache") << path;
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff") << path;
    const std::string policy(r->Header("content-security-policy"));
    EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  }
  const std::string etag(Get("/api/docs")->Header("etag"));
  ASSERT_FALSE(etag.empty());
  auto again = Get("/api/docs", {{"if-none-match", etag}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
  // Only the page itself: other paths under /api/docs stay the server's.
  auto below = Get("/api/docs/x");
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.status().reason, "ROUTE_NOT_FOUND");
}

TEST_F(WebRoutesTest, ApiDocsWithoutItsPageSaysHowToBuild) {
  // A build from before the docs page existed: the app is there, the page is not.
  fs::remove(dist_ / "api-docs.html");
  auto r = Get("/api/docs");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->file);
  EXPECT_EQ(r->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->Header("cache-control"), "no-store");
  EXPECT_NE(r->body.find("<code>api-docs.html</code>"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("npm run build"), std::string::npos);
  // The app itself still serves.
  auto index = Get("/");
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE(index->file);
  EXPECT_EQ(index->file->path, (dist_ / "index.html").string());
}

TEST(WebContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(WebContentType("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(WebContentType("font.woff2"), "font/woff2");
  EXPECT_EQ(WebContentType("x.webp"), "image/webp");
  EXPECT_EQ(WebContentType("README"), "application/octet-stream");
  EXPECT_EQ(WebContentType("dir.d/file"), "application/octet-stream");
}

TEST(IsServerPathTest, WholeSegmentsOnly) {
  EXPECT_TRUE(IsServerPath("/api"));
  EXPECT_TRUE(IsServerPath("/api/feed"));
  EXPECT_TRUE(IsServerPath("/readyz"));
  EXPECT_FALSE(IsServerPath("/apis"));
  EXPECT_FALSE(IsServerPath("/"));
  EXPECT_FALSE(IsServerPath("/mediax/1"));
}

}  // namespace
}  // namespace reel::app
