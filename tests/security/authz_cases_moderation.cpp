// Matrix cases for reports and the moderators' routes (issue 16). The owner, alice, is a
// moderator by configuration (the matrix's server names user 1 in moderation.moderators);
// the other user, mallory, is not, and is refused every admin route with 403.
#include <gtest/gtest.h>

#include "authz_cases.hpp"

namespace reel::security {
namespace {

using e2e::HttpResponse;

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

void NotAModerator(AuthzWorld&, const HttpResponse& r) {
  ApiRefused(r, 403, "NOT_A_MODERATOR");
}

// carol's open report on bob (reporting again answers the same report), for the resolve cell.
std::int64_t OpenReport(AuthzWorld& w) {
  const HttpResponse r =
      w.Api("POST", "/api/report/create",
            R"({"target_type":"user","target_id":)" + Id(w.bob.user_id) + R"(,"reason":"spam"})",
            w.carol.access_token);
  return e2e::JsonInt(ApiOk(r), "report.id").value_or(0);
}

AuthzCase Admin(Route route, bool writes,
                std::function<HttpResponse(AuthzWorld&, const std::string&)> send,
                std::function<void(AuthzWorld&, const HttpResponse&)> owner) {
  return {.area = Area::kModeration,
          .route = std::move(route),
          .writes = writes,
          .send = std::move(send),
          .owner = std::move(owner),
          .other = NotAModerator};
}

}  // namespace

std::vector<AuthzCase> ModerationCases() {
  return {
      {.area = Area::kModeration,
       .route = {"POST", "/api/report/create"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/report/create",
                          R"({"target_type":"video","target_id":)" + Id(w.bob_video) +
                              R"(,"reason":"spam"})",
                          t);
           },
       // Anyone signed in may report; the report is the caller's own.
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonInt(ApiOk(r), "report.reporter_id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonInt(ApiOk(r), "report.reporter_id"), w.mallory.user_id);
           }},
      {.area = Area::kModeration,
       .route = {"GET", "/api/admin/me"},
       .send = [](AuthzWorld& w, const std::string& t) { return w.ApiGet("/api/admin/me", {}, t); },
       .owner =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "moderator"), true);
           },
       .other =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "moderator"), false);
           }},
      Admin(
          {"GET", "/api/admin/videos"}, false,
          [](AuthzWorld& w, const std::string& t) {
            return w.ApiGet("/api/admin/videos", {{"status", "pending"}}, t);
          },
          [](AuthzWorld&, const HttpResponse& r) { ApiOk(r); }),
      Admin(
          {"POST", "/api/admin/videos/{id}/review"}, true,
          [](AuthzWorld& w, const std::string& t) {
            return w.Api("POST", "/api/admin/videos/" + Id(w.bob_video) + "/review",
                         R"({"action":"approve"})", t);
          },
          [](AuthzWorld&, const HttpResponse& r) {
            EXPECT_EQ(e2e::JsonString(ApiOk(r), "audit_status"), "approved");
          }),
      Admin(
          {"GET", "/api/admin/reports"}, false,
          [](AuthzWorld& w, const std::string& t) { return w.ApiGet("/api/admin/reports", {}, t); },
          [](AuthzWorld&, const HttpResponse& r) { ApiOk(r); }),
      Admin(
          {"POST", "/api/admin/reports/{id}/resolve"}, true,
          [](AuthzWorld& w, const std::string& t) {
            return w.Api("POST", "/api/admin/reports/" + Id(OpenReport(w)) + "/resolve",
                         R"({"action":"dismiss"})", t);
          },
          [](AuthzWorld& w, const HttpResponse& r) {
            const auto body = ApiOk(r);
            EXPECT_EQ(e2e::JsonString(body, "report.status"), "dismissed");
            EXPECT_EQ(e2e::JsonInt(body, "report.resolved_by"), w.alice.user_id);
          }),
      Admin(
          {"GET", "/api/admin/actions"}, false,
          [](AuthzWorld& w, const std::string& t) { return w.ApiGet("/api/admin/actions", {}, t); },
          [](AuthzWorld&, const HttpResponse& r) { ApiOk(r); }),
      Admin(
          {"POST", "/api/admin/moderators"}, true,
          [](AuthzWorld& w, const std::string& t) {
            return w.Api("POST", "/api/admin/moderators",
                         R"({"user_id":)" + Id(w.carol.user_id) + R"(,"grant":true})", t);
          },
          [](AuthzWorld&, const HttpResponse& r) {
            EXPECT_EQ(e2e::JsonBool(ApiOk(r), "moderator"), true);
          }),
  };
}

}  // namespace reel::security
