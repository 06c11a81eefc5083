// Matrix cases for bookmarks (收藏), collection lists, the collection setting and shares
// (issue 16).
#include <gtest/gtest.h>

#include "authz_cases.hpp"

namespace reel::security {
namespace {

using e2e::HttpResponse;
using e2e::JsonBool;
using e2e::JsonInt;

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

// `user_id`'s collection list read as themselves.
std::vector<std::int64_t> CollectedBy(AuthzWorld& w, const e2e::ApiSession& who) {
  return IdsAt(ApiOk(w.ApiGet("/api/favorite/collections", {{"limit", "100"}}, who.access_token)),
               "videos");
}

bool PublicSetting(AuthzWorld& w, const e2e::ApiSession& who) {
  return JsonBool(ApiOk(w.ApiGet("/api/favorite/settings", {}, who.access_token)),
                  "collections_public")
      .value_or(false);
}

}  // namespace

std::vector<AuthzCase> CollectionCases() {
  return {
      {.area = Area::kInteraction,
       .route = {"POST", "/api/favorite/collect"},
       .writes = true,
       .other_changes_world = true,  // bob's video gains a bookmark
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/favorite/collect",
                          R"({"video_id":)" + Id(w.bob_video) + R"(,"action":"collect"})", t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonBool(ApiOk(r), "is_collected"), true);
             EXPECT_TRUE(Contains(CollectedBy(w, w.alice), w.bob_video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonBool(ApiOk(r), "is_collected"), true);
             EXPECT_TRUE(Contains(CollectedBy(w, w.mallory), w.bob_video));
             EXPECT_FALSE(Contains(CollectedBy(w, w.alice), w.bob_video));
           }},
      {.area = Area::kInteraction,
       .route = {"GET", "/api/favorite/collections"},
       .variant = "user_id=alice",
       .anonymous_ok = true,  // answered (403: private) rather than refused for the token
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/favorite/collections",
                             {{"user_id", Id(w.alice.user_id)}, {"limit", "100"}}, t);
           },
       .owner = [](AuthzWorld&, const HttpResponse& r) { ApiOk(r); },
       // Private by default: another user, and anyone anonymous, is refused alice's list.
       .other = [](AuthzWorld&,
                   const HttpResponse& r) { ApiRefused(r, 403, "COLLECTIONS_PRIVATE"); },
       .anonymous = [](AuthzWorld&,
                       const HttpResponse& r) { ApiRefused(r, 403, "COLLECTIONS_PRIVATE"); }},
      {.area = Area::kInteraction,
       .route = {"GET", "/api/favorite/settings"},
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.ApiGet("/api/favorite/settings", {}, t); },
       .owner =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_EQ(JsonBool(ApiOk(r), "collections_public"), false);
           },
       .other =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_EQ(JsonBool(ApiOk(r), "collections_public"), false);
           }},
      {.area = Area::kInteraction,
       .route = {"POST", "/api/favorite/settings"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/favorite/settings", R"({"collections_public":true})", t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonBool(ApiOk(r), "collections_public"), true);
             EXPECT_TRUE(PublicSetting(w, w.alice));
             // Put back: the list case expects alice's list private.
             ApiOk(w.Api("POST", "/api/favorite/settings", R"({"collections_public":false})",
                         w.alice.access_token));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             // Only the caller's own setting changes: there is no user_id to name another's.
             EXPECT_EQ(JsonBool(ApiOk(r), "collections_public"), true);
             EXPECT_TRUE(PublicSetting(w, w.mallory));
             EXPECT_FALSE(PublicSetting(w, w.alice));
           }},
      {.area = Area::kInteraction,
       .route = {"POST", "/api/favorite/share"},
       .writes = true,
       .other_changes_world = true,  // bob's video's share_count
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/favorite/share", R"({"video_id":)" + Id(w.bob_video) + "}",
                          t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             const auto body = ApiOk(r);
             EXPECT_EQ(e2e::JsonString(body, "share_url"), "/v/" + Id(w.bob_video));
             EXPECT_GE(JsonInt(body, "share_count").value_or(0), 1);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonString(ApiOk(r), "share_url"), "/v/" + Id(w.bob_video));
           }},
  };
}

}  // namespace reel::security
