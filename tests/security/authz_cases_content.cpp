// Matrix cases for profiles, videos and feeds.
#include <gtest/gtest.h>

#include "authz_cases.hpp"

namespace reel::security {
namespace {

using e2e::HttpResponse;
using e2e::JsonInt;
using e2e::JsonString;

constexpr std::string_view kSignature = "signature set by the caller";
constexpr std::string_view kDouyinTitle = "published by the caller";
constexpr std::string_view kCreatedTitle = "made from alice's upload";

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

// Titles of `user_id`'s videos as anyone sees them.
std::vector<std::string> TitlesOf(AuthzWorld& world, std::int64_t user_id) {
  const rapidjson::Document body =
      ApiOk(world.ApiGet("/api/video", {{"user_id", Id(user_id)}, {"limit", "100"}}, ""));
  std::vector<std::string> titles;
  if (const rapidjson::Value* videos = e2e::JsonAt(body, "videos"); videos && videos->IsArray()) {
    for (const auto& video : videos->GetArray())
      titles.push_back(JsonString(video, "title").value_or(""));
  }
  return titles;
}

bool Has(const std::vector<std::string>& titles, std::string_view title) {
  return std::find(titles.begin(), titles.end(), title) != titles.end();
}

std::vector<AuthzCase> UserCases() {
  return {
      {.area = Area::kUser,
       .route = {"GET", "/douyin/user"},
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.Douyin("GET", "/douyin/user", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "user.id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "user.id"), w.mallory.user_id);
           }},
      {.area = Area::kUser,
       .route = {"GET", "/api/user"},
       .send = [](AuthzWorld& w, const std::string& t) { return w.ApiGet("/api/user", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "user.id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "user.id"), w.mallory.user_id);
           }},
      {.area = Area::kUser,
       .route = {"PATCH", "/api/user"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("PATCH", "/api/user",
                          R"({"signature":")" + std::string(kSignature) + "\"}", t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             const rapidjson::Document body = ApiOk(r);
             EXPECT_EQ(JsonInt(body, "user.id"), w.alice.user_id);
             EXPECT_EQ(JsonString(body, "user.signature"), std::string(kSignature));
           },
       // mallory edits mallory; the runner checks alice is unchanged.
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "user.id"), w.mallory.user_id);
           }},
  };
}

// Publishing alice's upload through `path` (create and its alias creat).
AuthzCase CreateVideoCase(std::string path) {
  return {.area = Area::kVideo,
          .route = {"POST", path},
          .writes = true,
          .send =
              [path](AuthzWorld& w, const std::string& t) {
                return w.Api("POST", path,
                             R"({"media_key":")" + w.unpublished_key + R"(","title":")" +
                                 std::string(kCreatedTitle) + "\"}",
                             t);
              },
          .owner =
              [](AuthzWorld& w, const HttpResponse& r) {
                EXPECT_EQ(JsonInt(ApiOk(r), "video.author.id"), w.alice.user_id);
              },
          // alice's upload is hers to publish: mallory cannot publish it as her own.
          .other =
              [](AuthzWorld& w, const HttpResponse& r) {
                EXPECT_TRUE(r.status == 403 || r.status == 404)
                    << "publishing another user's upload must be refused (403 or 404), got "
                    << r.Describe();
                EXPECT_FALSE(Has(TitlesOf(w, w.mallory.user_id), kCreatedTitle));
              }};
}

std::vector<AuthzCase> VideoCases() {
  return {
      {.area = Area::kVideo,
       .route = {"POST", "/douyin/publish/action"},
       .writes = true,
       .other_changes_world = true,  // the media store gains the file
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.DouyinPublish(e2e::MediaKind::kHdMp4, kDouyinTitle, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Has(TitlesOf(w, w.alice.user_id), kDouyinTitle));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Has(TitlesOf(w, w.mallory.user_id), kDouyinTitle));
             EXPECT_FALSE(Has(TitlesOf(w, w.alice.user_id), kDouyinTitle));
           }},
      {.area = Area::kVideo,
       .route = {"GET", "/douyin/publish/list"},
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.Douyin("GET", "/douyin/publish/list", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(DouyinOk(r), "video_list"), w.video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_FALSE(Contains(IdsAt(DouyinOk(r), "video_list"), w.video));
           }},
      {.area = Area::kVideo,
       .route = {"POST", "/api/video/upload"},
       .writes = true,
       .other_changes_world = true,  // the media store gains the file
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.ApiUpload(e2e::MediaKind::kMoovAtEndMp4, t); },
       .owner = [](AuthzWorld&,
                   const HttpResponse& r) { EXPECT_TRUE(JsonString(ApiOk(r), "media.media_key")); },
       .other =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_TRUE(JsonString(ApiOk(r), "media.media_key"));
           }},
      CreateVideoCase("/api/video/create"),
      // Issue 16: the brief's spelling, an alias of create (same handler, same checks).
      CreateVideoCase("/api/video/creat"),
      {.area = Area::kVideo,
       .route = {"GET", "/api/video"},
       .send = [](AuthzWorld& w, const std::string& t) { return w.ApiGet("/api/video", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_FALSE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
           }},
      {.area = Area::kVideo,
       .route = {"GET", "/api/video/{id}"},
       .anonymous_ok = true,
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.ApiGet("/api/video/" + Id(w.video), {}, t); },
       .owner = [](AuthzWorld& w,
                   const HttpResponse& r) { EXPECT_EQ(JsonInt(ApiOk(r), "video.id"), w.video); },
       .other = [](AuthzWorld& w,
                   const HttpResponse& r) { EXPECT_EQ(JsonInt(ApiOk(r), "video.id"), w.video); },
       .anonymous =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "video.id"), w.video);
           }},
      {.area = Area::kVideo,
       .route = {"PATCH", "/api/video/{id}"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("PATCH", "/api/video/" + Id(w.video), R"({"title":"retitled"})", t);
           },
       .owner =
           [](AuthzWorld&, const HttpResponse& r) {
             EXPECT_EQ(JsonString(ApiOk(r), "video.title"), "retitled");
           },
       .other = [](AuthzWorld&, const HttpResponse& r) { ApiRefused(r, 403, "VIDEO_NOT_YOURS"); }},
      {.area = Area::kVideo,
       .route = {"DELETE", "/api/video/{id}"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("DELETE", "/api/video/" + Id(w.doomed_video), {}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "deleted"), true);
             ApiRefused(w.ApiGet("/api/video/" + Id(w.doomed_video), {}, ""), 404,
                        "VIDEO_NOT_FOUND");
           },
       .other = [](AuthzWorld&, const HttpResponse& r) { ApiRefused(r, 403, "VIDEO_NOT_YOURS"); }},
  };
}

// alice likes her video: the feed says so to her and to nobody else.
std::optional<bool> LikedInFeed(const rapidjson::Document& body, std::int64_t video) {
  if (const rapidjson::Value* list = e2e::JsonAt(body, "video_list"); list && list->IsArray()) {
    for (const auto& item : list->GetArray()) {
      if (JsonInt(item, "id") == video) return e2e::JsonBool(item, "is_favorite");
    }
  }
  return std::nullopt;
}

std::vector<AuthzCase> FeedCases() {
  const auto search = [](std::string_view path, std::string_view param) {
    return AuthzCase{.area = Area::kFeed,
                     .route = {"GET", std::string(path)},
                     .anonymous_ok = true,
                     .send =
                         [path, param](AuthzWorld& w, const std::string& t) {
                           return w.ApiGet(path, {{std::string(param), "alice"}}, t);
                         },
                     .owner =
                         [](AuthzWorld& w, const HttpResponse& r) {
                           EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
                         },
                     .other =
                         [](AuthzWorld& w, const HttpResponse& r) {
                           EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
                         },
                     .anonymous =
                         [](AuthzWorld& w, const HttpResponse& r) {
                           EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
                         }};
  };
  return {
      {.area = Area::kFeed,
       .route = {"GET", "/douyin/feed"},
       .anonymous_ok = true,
       .ignores_bad_tokens = true,
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.Douyin("GET", "/douyin/feed", {}, t); },
       .owner = [](AuthzWorld& w,
                   const HttpResponse& r) { EXPECT_EQ(LikedInFeed(DouyinOk(r), w.video), true); },
       .other = [](AuthzWorld& w,
                   const HttpResponse& r) { EXPECT_EQ(LikedInFeed(DouyinOk(r), w.video), false); },
       // A forged token claiming alice must not show alice's likes.
       .anonymous =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(LikedInFeed(DouyinOk(r), w.video), false);
           }},
      {.area = Area::kFeed,
       .route = {"GET", "/api/feed"},
       .variant = "type=following",
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/feed", {{"type", "following"}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.bob_video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_FALSE(Contains(IdsAt(ApiOk(r), "videos"), w.bob_video));
           }},
      search("/api/search", "q"),
      search("/api/video/search", "q"),
      search("/api/video/get/title", "title"),
  };
}

}  // namespace

std::vector<AuthzCase> ContentCases() {
  std::vector<AuthzCase> cases = UserCases();
  for (auto* more : {VideoCases, FeedCases}) {
    std::vector<AuthzCase> next = more();
    cases.insert(cases.end(), next.begin(), next.end());
  }
  return cases;
}

}  // namespace reel::security
