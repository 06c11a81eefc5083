// The web client's files served by `reel all`: index, hashed assets, client-side routes, the
// client's settings, and the server's own paths staying the server's.
#include <filesystem>
#include <fstream>
#include <string>

#include "harness.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex = "<!doctype html><title>reel test client</title>";
constexpr std::string_view kScript = "console.log('reel')";

void WriteFile(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A dist directory shaped like Vite's output, outside the server's data directory.
class WebServingTest : public ServerTest {
 protected:
  WebServingTest() {
    WriteFile(dist_.Path() / "index.html", kIndex);
    WriteFile(dist_.Path() / "assets" / "index-Ab12Cd.js", kScript);
    WriteFile(dist_.Path() / "favicon.svg", "<svg/>");
  }
  ServerOptions Options() const override {
    ServerOptions options;
    options.env = {{"REEL_WEB_DIST_DIR", dist_.Path().string()},
                   {"REEL_MEDIA_MAX_UPLOAD_BYTES", "2097152"}};
    return options;
  }

  TempDir dist_;
};

TEST_F(WebServingTest, RootIsTheIndexAndAlwaysRevalidated) {
  const HttpResponse r = Client().Get("/");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-cache");
  const std::string etag = r.Header("etag");
  ASSERT_FALSE(etag.empty());
  const HttpResponse again = Client().Get("/", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304) << again.Describe();
  EXPECT_TRUE(again.body.empty());
}

TEST_F(WebServingTest, HashedAssetIsServedWithItsTypeAndCachedForAYear) {
  const HttpResponse r = Client().Get("/assets/index-Ab12Cd.js");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.body, kScript);
  EXPECT_EQ(r.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  const HttpResponse icon = Client().Get("/favicon.svg");
  ASSERT_EQ(icon.status, 200) << icon.Describe();
  EXPECT_EQ(icon.Header("content-type"), "image/svg+xml");
  EXPECT_EQ(icon.Header("cache-control"), "no-cache");
}

TEST_F(WebServingTest, ClientRoutesGetTheIndexSoReloadsWork) {
  for (const char* path : {"/u/7", "/search?q=cat", "/chat/3", "/v/12/", "/upload"}) {
    const HttpResponse r = Client().Get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.Describe();
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8") << path;
  }
  const HttpResponse head = Client().Request("HEAD", "/profile");
  EXPECT_EQ(head.status, 200) << head.Describe();
  EXPECT_EQ(head.Header("content-length"), std::to_string(kIndex.size()));
}

TEST_F(WebServingTest, MissingAssetIsA404NotHtml) {
  const HttpResponse r = Client().Get("/assets/index-Old000.js");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_EQ(r.Header("content-type").find("text/html"), std::string::npos);
}

TEST_F(WebServingTest, ServerPathsStayJsonErrors) {
  for (const char* path : {"/api/nope", "/api/video/1/nope", "/media/a/b"}) {
    const HttpResponse r = Client().Get(path);
    EXPECT_EQ(r.status, 404) << path << ": " << r.Describe();
    EXPECT_EQ(ApiReason(r), "ROUTE_NOT_FOUND") << path << ": " << r.Describe();
  }
  // Douyin clients read status_code, so /douyin paths answer in their shape.
  const HttpResponse douyin = Client().Get("/douyin/nope/");
  EXPECT_EQ(DouyinStatusCode(douyin), 404) << douyin.Describe();
  // Only GET and HEAD fall back to the client; other methods on unknown paths are 404s.
  const HttpResponse post = Client().PostJson("/u/7", "{}");
  EXPECT_EQ(post.status, 404) << post.Describe();
  EXPECT_EQ(ApiReason(post), "ROUTE_NOT_FOUND");
  // A path the API has with another method is still 405, not the client.
  const HttpResponse get_login = Client().Get("/api/user/login");
  EXPECT_EQ(get_login.status, 405) << get_login.Describe();
  EXPECT_EQ(JsonInt(get_login.Json(), "code"), 405);  // the body repeats the real status
  EXPECT_EQ(ApiReason(get_login), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(Client().Get("/healthz").status, 200);
}

TEST_F(WebServingTest, NothingOutsideTheDistDirectoryIsServed) {
  WriteFile(dist_.Path().parent_path() / (dist_.Path().filename().string() + "-secret.txt"),
            "secret");
  for (const char* path : {"/../etc/passwd", "/assets/../../etc/passwd", "/%2e%2e/etc/passwd"}) {
    const HttpResponse r = Client().Get(path);
    EXPECT_NE(r.status, 200) << path << ": " << r.Describe();
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(WebServingTest, ClientSettingsTellTheUploadLimit) {
  const HttpResponse r = Client().Get("/web-config.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const auto json = r.Json();
  EXPECT_EQ(JsonInt(json, "max_upload_bytes"), 2097152);
}

// No build: a page that says how to make one, and the APIs regardless.
class WebNotBuiltTest : public ServerTest {
 protected:
  ServerOptions Options() const override {
    ServerOptions options;
    options.env = {{"REEL_WEB_DIST_DIR", (empty_.Path() / "missing").string()}};
    return options;
  }
  TempDir empty_;
};

TEST_F(WebNotBuiltTest, RootExplainsHowToBuildAndApisStillWork) {
  const HttpResponse r = Client().Get("/");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("npm run build"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("./scripts/run"), std::string::npos) << r.body;
  const HttpResponse api = Client().Get("/api/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(ApiReason(api), "ROUTE_NOT_FOUND");
  const HttpResponse login =
      Client().PostForm("/douyin/user/register/", {{"username", "web"}, {"password", "secret1"}});
  EXPECT_EQ(login.status, 200) << login.Describe();
  EXPECT_EQ(DouyinStatusCode(login), 0) << login.Describe();
}

}  // namespace
}  // namespace reel::e2e
