// api/openapi.yaml against the real binary: every route `reel all` serves (as `reel routes`
// lists them) is documented and every documented route is served, and the document and the
// page showing it (the web client's api-docs.html, Swagger UI) are served as promised.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "harness.hpp"

#ifndef REEL_OPENAPI_PATH
#error "REEL_OPENAPI_PATH must name api/openapi.yaml"
#endif

namespace reel::e2e {
namespace {

using ::testing::HasSubstr;

std::string ReadSourceDocument() {
  std::ifstream in(REEL_OPENAPI_PATH, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  return text;
}

// "GET /api/video/{}": parameters compare equal whatever their names, and a trailing slash
// is ignored, as the router ignores it.
std::string RouteKey(const std::string& method, std::string_view pattern) {
  std::string path;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const std::size_t open = pattern.find('{', pos);
    if (open == std::string_view::npos) {
      path.append(pattern.substr(pos));
      break;
    }
    const std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) {
      path.append(pattern.substr(pos));
      break;
    }
    path.append(pattern.substr(pos, open - pos)).append("{}");
    pos = close + 1;
  }
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return Upper(method) + " " + path;
}

struct RouteSet {
  std::set<std::string> keys;
  std::string problem;  // why the set could not be read
};

RouteSet ServedRoutes() {
  RouteSet served;
  const ProcessResult run = RunReel({"routes"}, {}, std::chrono::seconds(30));
  if (run.exit_code != 0) {
    served.problem = "`reel routes` failed (exit " +
                     (run.exit_code ? std::to_string(*run.exit_code) : std::string("timeout")) +
                     "): " + run.err;
    return served;
  }
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string::npos || line[space + 1] != '/') {
      served.problem = "`reel routes` printed a line that is not `METHOD /pattern`: " + line;
      return served;
    }
    served.keys.insert(RouteKey(line.substr(0, space), line.substr(space + 1)));
  }
  return served;
}

RouteSet DocumentedRoutes(const std::string& text) {
  static constexpr std::string_view kMethods[] = {"get",     "put",  "post",  "delete",
                                                  "options", "head", "patch", "trace"};
  RouteSet documented;
  try {
    const YAML::Node root = YAML::Load(text);
    for (const auto& path : root["paths"]) {
      for (const auto& field : path.second) {
        const std::string method = field.first.Scalar();
        if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
          continue;
        }
        documented.keys.insert(RouteKey(method, path.first.Scalar()));
      }
    }
  } catch (const YAML::Exception& e) {
    documented.problem = std::string("api/openapi.yaml does not read: ") + e.what();
  }
  return documented;
}

// HEAD is answered wherever GET is, without being a route of its own.
bool Served(const std::set<std::string>& served, const std::string& key) {
  if (served.contains(key)) return true;
  return key.starts_with("HEAD ") && served.contains("GET " + key.substr(5));
}

std::string Listed(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += "\n  " + key;
  return out;
}

class OpenApiCoverage : public ::testing::Test {
 protected:
  void SetUp() override {
    served_ = ServedRoutes();
    ASSERT_TRUE(served_.problem.empty()) << served_.problem;
    documented_ = DocumentedRoutes(ReadSourceDocument());
    ASSERT_TRUE(documented_.problem.empty()) << documented_.problem;
    // Guards against comparing two empty lists.
    ASSERT_TRUE(served_.keys.contains("GET /healthz"));
    ASSERT_TRUE(documented_.keys.contains("GET /healthz"));
  }

  RouteSet served_;
  RouteSet documented_;
};

TEST_F(OpenApiCoverage, EveryServedRouteIsDocumented) {
  std::vector<std::string> undocumented;
  for (const std::string& key : served_.keys) {
    if (!documented_.keys.contains(key)) undocumented.push_back(key);
  }
  EXPECT_TRUE(undocumented.empty())
      << undocumented.size() << " route(s) served by `reel all` but missing from "
      << "api/openapi.yaml ({} stands for any path parameter):" << Listed(undocumented);
}

TEST_F(OpenApiCoverage, EveryDocumentedRouteIsServed) {
  std::vector<std::string> unserved;
  for (const std::string& key : documented_.keys) {
    if (!Served(served_.keys, key)) unserved.push_back(key);
  }
  EXPECT_TRUE(unserved.empty()) << unserved.size()
                                << " route(s) in api/openapi.yaml that `reel all` does not serve "
                                << "({} stands for any path parameter):" << Listed(unserved);
}

TEST(OpenApiRouteKey, TreatsParametersAlikeAndIgnoresATrailingSlash) {
  EXPECT_EQ(RouteKey("get", "/api/video/{id}"), RouteKey("GET", "/api/video/{video_id}"));
  EXPECT_EQ(RouteKey("post", "/douyin/feed/"), "POST /douyin/feed");
  EXPECT_NE(RouteKey("GET", "/api/video/{id}"), RouteKey("GET", "/api/video/search"));
  EXPECT_EQ(RouteKey("GET", "/"), "GET /");
}

// The two documentation routes, through the real server (or the cluster's edge). The page is
// a file of the web client's build, so the server gets a dist directory shaped like Vite's.
constexpr std::string_view kDocsPage = "<!doctype html><title>reel API</title><div id=swagger-ui>";

void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class ApiDocsE2e : public ServerTest {
 protected:
  ApiDocsE2e() {
    WriteFile(dist_.Path() / "index.html", "<!doctype html><title>reel</title>");
    WriteFile(dist_.Path() / "api-docs.html", kDocsPage);
  }
  ServerOptions Options() const override {
    ServerOptions options;
    options.env = {{"REEL_WEB_DIST_DIR", dist_.Path().string()}};
    return options;
  }

  TempDir dist_;
};

TEST_F(ApiDocsE2e, ServesTheDocumentAsBuiltFromTheSource) {
  const HttpResponse r = Client().Get("/api/openapi.yaml");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "application/yaml; charset=utf-8");
  EXPECT_EQ(r.body, ReadSourceDocument()) << "the binary carries a stale api/openapi.yaml";
  EXPECT_FALSE(r.Header("etag").empty());
  EXPECT_THAT(r.Header("cache-control"), HasSubstr("max-age="));

  const HttpResponse again =
      Client().Get("/api/openapi.yaml", {{"If-None-Match", r.Header("etag")}});
  EXPECT_EQ(again.status, 304) << again.Describe();
  EXPECT_TRUE(again.body.empty());

  const HttpResponse head = Client().Request("HEAD", "/api/openapi.yaml");
  EXPECT_EQ(head.status, 200) << head.Describe();
  EXPECT_EQ(head.Header("content-length"), std::to_string(r.body.size()));
}

TEST_F(ApiDocsE2e, ServesTheWebClientsDocsPageRevalidatedAndConfined) {
  const HttpResponse r = Client().Get("/api/docs");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.body, kDocsPage);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-cache");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  // Swagger UI loads only from this origin: its bundle, and the document above.
  EXPECT_THAT(r.Header("content-security-policy"), HasSubstr("default-src 'self'"));
  EXPECT_THAT(r.Header("content-security-policy"), HasSubstr("frame-ancestors 'none'"));
  ASSERT_FALSE(r.Header("etag").empty());

  const HttpResponse again = Client().Get("/api/docs", {{"If-None-Match", r.Header("etag")}});
  EXPECT_EQ(again.status, 304) << again.Describe();
  EXPECT_TRUE(again.body.empty());

  const HttpResponse head = Client().Request("HEAD", "/api/docs");
  EXPECT_EQ(head.status, 200) << head.Describe();
  EXPECT_EQ(head.Header("content-length"), std::to_string(kDocsPage.size()));
}

TEST_F(ApiDocsE2e, RefusesOtherMethods) {
  const HttpResponse r = Client().PostJson("/api/docs", "{}");
  EXPECT_EQ(r.status, 405) << r.Describe();
  EXPECT_EQ(ApiReason(r), "METHOD_NOT_ALLOWED");
}

// With no build of the web client, the page says how to make one; the document is served.
class ApiDocsNotBuiltE2e : public ServerTest {
 protected:
  ServerOptions Options() const override {
    ServerOptions options;
    options.env = {{"REEL_WEB_DIST_DIR", empty_dist_.Path().string()}};
    return options;
  }

  TempDir empty_dist_;
};

TEST_F(ApiDocsNotBuiltE2e, SaysHowToBuildTheWebClient) {
  const HttpResponse r = Client().Get("/api/docs");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("npm run build"));
  const HttpResponse yaml = Client().Get("/api/openapi.yaml");
  EXPECT_EQ(yaml.status, 200) << yaml.Describe();
}

}  // namespace
}  // namespace reel::e2e
