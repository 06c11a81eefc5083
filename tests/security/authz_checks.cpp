// The checks the authorization cases share, and the lists of routes outside the matrix.
#include <gtest/gtest.h>

#include <algorithm>

#include "authz_cases.hpp"

namespace reel::security {

std::vector<AuthzCase> AuthzCases() {
  std::vector<AuthzCase> cases = ContentCases();
  std::vector<AuthzCase> social = SocialCases();
  cases.insert(cases.end(), social.begin(), social.end());
  std::vector<AuthzCase> collections = CollectionCases();
  cases.insert(cases.end(), collections.begin(), collections.end());
  std::vector<AuthzCase> moderation = ModerationCases();
  cases.insert(cases.end(), moderation.begin(), moderation.end());
  return cases;
}

const std::vector<PublicRoute>& PublicRoutes() {
  static const std::vector<PublicRoute> routes = {
      {{"POST", "/douyin/user/register"}, "creates an account: no caller yet"},
      {{"POST", "/douyin/user/login"}, "signs in with a password: no caller yet"},
      {{"POST", "/api/user/register"}, "creates an account: no caller yet"},
      {{"POST", "/api/user/login"}, "signs in with a password: no caller yet"},
      {{"GET", "/media/{key}"}, "content-addressed public media (play and cover URLs)"},
      {{"GET", "/api/openapi.yaml"}, "documentation"},
      {{"GET", "/api/docs"}, "documentation"},
      {{"GET", "/api/user/{id}/avatar.png"}, "a drawn default picture: from the id alone"},
      {{"GET", "/api/user/{id}/background.png"}, "a drawn default picture: from the id alone"},
      {{"GET", "/healthz"}, "liveness probe"},
      {{"GET", "/readyz"}, "readiness probe"},
      {{"GET", "/metrics"}, "Prometheus scrape: each process's own port, not proxied by the edge"},
  };
  return routes;
}

const std::vector<Route>& DedicatedRoutes() {
  static const std::vector<Route> routes = {
      {"POST", "/api/user/refresh"}, {"POST", "/api/user/logout"}, {"POST", "/api/user/password"}};
  return routes;
}

rapidjson::Document ApiOk(const e2e::HttpResponse& response) {
  rapidjson::Document body = response.Json();
  EXPECT_TRUE(response.status == 200 && body.IsObject())
      << "expected 200 with a JSON object, got " << response.Describe();
  return body;
}

rapidjson::Document DouyinOk(const e2e::HttpResponse& response) {
  rapidjson::Document body = response.Json();
  EXPECT_TRUE(response.status == 200 && e2e::JsonInt(body, "status_code") == 0)
      << "expected status_code 0, got " << response.Describe();
  return body;
}

void ApiRefused(const e2e::HttpResponse& response, long status, std::string_view reason) {
  EXPECT_TRUE(e2e::IsApiError(response, status, reason));
}

void DouyinRefused(const e2e::HttpResponse& response, std::int64_t status_code) {
  const rapidjson::Document body = response.Json();
  EXPECT_TRUE(response.status == 200 && e2e::JsonInt(body, "status_code") == status_code &&
              !e2e::JsonString(body, "status_msg").value_or("").empty())
      << "expected HTTP 200 with status_code " << status_code << ", got " << response.Describe();
}

void Lacks(const e2e::HttpResponse& response, std::string_view text) {
  EXPECT_EQ(response.body.find(text), std::string::npos)
      << "'" << text << "' leaked: " << response.Describe();
}

std::vector<std::int64_t> IdsAt(const rapidjson::Value& body, std::string_view key) {
  return e2e::ApiIds(body, key);
}

bool Contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace reel::security
