// Issue 16 end to end: a private video is its author's alone on every route of both APIs
// (feeds, search, publish lists, work counts, GET by id, liked lists) until it is made
// public again; moderation.mode=pre holds new videos pending, shown only to their author;
// provenance (is_original / source_url) is checked; POST /api/video/creat is create's alias.
// Approval and rejection through the admin routes are moderation_e2e_test's; the video
// service's unit tests cover their effect on the video.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interactions_api_fixture.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

using Ids = std::vector<std::int64_t>;

bool Contains(const Ids& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class VisibilityTest : public ApiInteractionTest {
 protected:
  // Uploads the small clip as `who` and returns its media_key ("" and a failure if refused).
  std::string UploadKey(const ApiSession& who) {
    const HttpResponse r =
        Client().PostMultipartFiles("/api/video/upload", {},
                                    {{.field = "data",
                                      .path = Media().Get(MediaKind::kFaststartMp4),
                                      .filename = "clip.mp4",
                                      .content_type = "video/mp4"}},
                                    Bearer(who.access_token));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return JsonString(r.Json(), "media.media_key").value_or("");
  }
  // POST `route` (create or creat) with the media and `extra` JSON members.
  ApiReply Create(const ApiSession& who, std::string_view title, std::string_view extra = {},
                  std::string_view route = "/api/video/create") {
    const std::string key = UploadKey(who);
    std::string json = R"({"media_key":")" + key + R"(","title":")" + std::string(title) + '"';
    if (!extra.empty()) json += "," + std::string(extra);
    return PostApi(route, json + "}", who.access_token);
  }
  std::int64_t Publish(const ApiSession& who, std::string_view title, std::string_view extra = {}) {
    const ApiReply r = Create(who, title, extra);
    EXPECT_TRUE(IsApiOk(r)) << r.Describe();
    return JsonInt(r.json, "video.id").value_or(0);
  }
  ApiReply Patch(const ApiSession& who, std::int64_t id, std::string_view json) {
    return Send("PATCH", "/api/video/" + std::to_string(id), json, Bearer(who.access_token));
  }
  ApiReply VideoById(std::int64_t id, std::string_view token = {}) {
    return GetApi("/api/video/" + std::to_string(id), {}, token);
  }
  Ids ApiList(std::string_view path, const Pairs& query, std::string_view token = {}) {
    const ApiReply r = GetApi(path, query, token);
    EXPECT_TRUE(IsApiOk(r)) << path << ": " << r.Describe();
    return ReplyIds(r, "videos");
  }
  Ids DouyinList(std::string_view path, const Pairs& query, std::string_view token = {}) {
    Pairs q = query;
    if (!token.empty()) q.push_back({"token", std::string(token)});
    const HttpResponse r = Client().Get(WithQuery(path, q));
    rapidjson::Document doc = r.Json();
    EXPECT_EQ(JsonInt(doc, "status_code"), 0) << path << ": " << r.Describe();
    Ids ids;
    if (const rapidjson::Value* list = JsonAt(doc, "video_list"); list && list->IsArray()) {
      for (const auto& v : list->GetArray()) ids.push_back(JsonInt(v, "id").value_or(0));
    }
    return ids;
  }
  std::int64_t DouyinWorkCount(std::int64_t user_id, std::string_view token = {}) {
    return UserCountsOf(user_id, token).work_count.value_or(-1);
  }
  std::int64_t ApiWorkCount(std::int64_t user_id, std::string_view token = {}) {
    return JsonInt(ApiUser(user_id, token), "work_count").value_or(-1);
  }

  // Where `video` shows for `token` (empty: anonymous): one line per place, for one
  // EXPECT_EQ per viewer that names every route that is wrong.
  // PlacesShowing once it is `want`: search shows a change a moment after it answers in a
  // cluster.
  std::string SettledPlaces(const std::string& want, std::int64_t video, std::int64_t author,
                            std::string_view token) {
    return Settled([&] { return PlacesShowing(video, author, token); }, want);
  }
  std::string PlacesShowing(std::int64_t video, std::int64_t author, std::string_view token) {
    std::string out;
    const auto note = [&](std::string_view place, bool shown) {
      if (shown) out += std::string(place) + "\n";
    };
    note("api latest feed", Contains(ApiList("/api/feed", {{"type", "latest"}}, token), video));
    note("api hot feed", Contains(ApiList("/api/feed", {{"type", "hot"}}, token), video));
    if (!token.empty()) {
      note("api following feed",
           Contains(ApiList("/api/feed", {{"type", "following"}}, token), video));
    }
    note("api search", Contains(ApiList("/api/search", {{"q", "lighthouse"}}, token), video));
    note("api video search",
         Contains(ApiList("/api/video/search", {{"q", "lighthouse"}}, token), video));
    note("api publish list",
         Contains(ApiList("/api/video", {{"user_id", std::to_string(author)}}, token), video));
    note("api by id", VideoById(video, token).response.status == 200);
    note("douyin feed", Contains(DouyinList("/douyin/feed/", {}, token), video));
    note("douyin publish list",
         Contains(DouyinList("/douyin/publish/list/", {{"user_id", std::to_string(author)}}, token),
                  video));
    return out;
  }
};

TEST_F(VisibilityTest, APrivateVideoIsItsAuthorsAloneUntilMadePublic) {
  const ApiSession alice = NewApiUser("alice");
  const ApiSession bob = NewApiUser("bob");
  ASSERT_TRUE(IsApiOk(
      PostApi("/api/relation/control",
              R"({"to_user_id":)" + std::to_string(alice.user_id) + R"(,"action":"follow"})",
              bob.access_token)));
  const std::int64_t shown = Publish(alice, "lighthouse at dawn");
  const std::int64_t hidden = Publish(alice, "lighthouse secret", R"("is_public":false)");
  ASSERT_GT(shown, 0);
  ASSERT_GT(hidden, 0);

  // The author sees it, marked private; everyone else sees it nowhere.
  const ApiReply mine = VideoById(hidden, alice.access_token);
  ASSERT_TRUE(IsApiOk(mine)) << mine.Describe();
  EXPECT_EQ(JsonBool(mine.json, "video.is_public"), false);
  EXPECT_EQ(JsonString(mine.json, "video.audit_status"), "approved");
  EXPECT_EQ(JsonBool(mine.json, "video.is_original"), true);
  EXPECT_EQ(JsonString(mine.json, "video.source_url"), "");
  EXPECT_TRUE(IsApiError(VideoById(hidden, bob.access_token), 404, "VIDEO_NOT_FOUND"));
  EXPECT_TRUE(IsApiError(VideoById(hidden), 404, "VIDEO_NOT_FOUND"));
  EXPECT_EQ(SettledPlaces("", hidden, alice.user_id, bob.access_token), "");
  EXPECT_EQ(SettledPlaces("", hidden, alice.user_id, ""), "");
  const std::string everywhere =
      "api latest feed\napi hot feed\napi following feed\napi search\napi video search\n"
      "api publish list\napi by id\ndouyin feed\ndouyin publish list\n";
  EXPECT_EQ(SettledPlaces(everywhere, shown, alice.user_id, bob.access_token), everywhere)
      << "the public one is everywhere";
  // Her own lists hold both; the feeds are what everyone sees, hers included.
  EXPECT_EQ(ApiList("/api/video", {{"user_id", std::to_string(alice.user_id)}}, alice.access_token),
            (Ids{hidden, shown}));
  EXPECT_EQ(DouyinList("/douyin/publish/list/", {{"user_id", std::to_string(alice.user_id)}},
                       alice.access_token),
            (Ids{hidden, shown}));
  // Work counts: others count the public one, she counts both.
  EXPECT_EQ(DouyinWorkCount(alice.user_id, bob.access_token), 1);
  EXPECT_EQ(DouyinWorkCount(alice.user_id), 1);
  EXPECT_EQ(ApiWorkCount(alice.user_id, bob.access_token), 1);
  EXPECT_EQ(ApiWorkCount(alice.user_id, alice.access_token), 2);
  EXPECT_EQ(DouyinWorkCount(alice.user_id, alice.access_token), 2);
  // Bob cannot like what he cannot see.
  const ApiReply like = PostApi("/api/favorite/action",
                                R"({"video_id":)" + std::to_string(hidden) + R"(,"action":"like"})",
                                bob.access_token);
  EXPECT_TRUE(IsApiError(like, 404, "VIDEO_NOT_FOUND")) << like.Describe();

  // Made public: it appears everywhere, the hot feed too once it ranks anew (at most 2 s
  // after the event: HotSnapshots::MarkStale). Hiding is immediate there: each page is read
  // as its viewer may see it.
  const ApiReply opened = Patch(alice, hidden, R"({"is_public":true})");
  ASSERT_TRUE(IsApiOk(opened)) << opened.Describe();
  EXPECT_EQ(JsonBool(opened.json, "video.is_public"), true);
  EXPECT_EQ(SettledPlaces(everywhere, hidden, alice.user_id, bob.access_token), everywhere);
  EXPECT_EQ(DouyinWorkCount(alice.user_id, bob.access_token), 2);
  const ApiReply others = VideoById(hidden, bob.access_token);
  EXPECT_FALSE(others.json.HasMember("video") && others.json["video"].HasMember("audit_reason"))
      << "a reason is for the author's eyes";

  // Liked while public, then made private again: out of bob's liked lists on both APIs.
  ASSERT_TRUE(IsApiOk(PostApi("/api/favorite/action",
                              R"({"video_id":)" + std::to_string(hidden) + R"(,"action":"like"})",
                              bob.access_token)));
  EXPECT_TRUE(Contains(ApiList("/api/favorite/videos", {{"user_id", std::to_string(bob.user_id)}}),
                       hidden));
  ASSERT_TRUE(IsApiOk(Patch(alice, hidden, R"({"is_public":false})")));
  EXPECT_FALSE(Contains(ApiList("/api/favorite/videos", {{"user_id", std::to_string(bob.user_id)}}),
                        hidden));
  EXPECT_FALSE(Contains(
      DouyinList("/douyin/favorite/list/", {{"user_id", std::to_string(bob.user_id)}}), hidden));
  EXPECT_EQ(SettledPlaces("", hidden, alice.user_id, bob.access_token), "");

  // Her own liked and bookmarked lists keep her private video, for her eyes only.
  const std::string like_own = R"({"video_id":)" + std::to_string(hidden) + R"(,"action":"like"})";
  const std::string collect_own =
      R"({"video_id":)" + std::to_string(hidden) + R"(,"action":"collect"})";
  ASSERT_TRUE(IsApiOk(PostApi("/api/favorite/action", like_own, alice.access_token)));
  ASSERT_TRUE(IsApiOk(PostApi("/api/favorite/collect", collect_own, alice.access_token)));
  const Pairs of_alice = {{"user_id", std::to_string(alice.user_id)}};
  EXPECT_TRUE(Contains(ApiList("/api/favorite/videos", of_alice, alice.access_token), hidden));
  EXPECT_TRUE(Contains(ApiList("/api/favorite/collections", of_alice, alice.access_token), hidden));
  EXPECT_FALSE(Contains(ApiList("/api/favorite/videos", of_alice, bob.access_token), hidden));
}

TEST_F(VisibilityTest, DouyinPublishMayBePrivate) {
  const ApiSession alice = NewApiUser("alice");
  const ApiSession bob = NewApiUser("bob");
  const HttpResponse r = Client().PostMultipartFiles(
      "/douyin/publish/action/",
      {{"token", alice.access_token}, {"title", "lighthouse quiet"}, {"is_public", "false"}},
      {{.field = "data",
        .path = Media().Get(MediaKind::kFaststartMp4),
        .filename = "clip.mp4",
        .content_type = "video/mp4"}});
  ASSERT_EQ(JsonInt(r.Json(), "status_code"), 0) << r.Describe();
  const Ids hers = DouyinList("/douyin/publish/list/", {{"user_id", std::to_string(alice.user_id)}},
                              alice.access_token);
  ASSERT_EQ(hers.size(), 1u);
  EXPECT_EQ(SettledPlaces("", hers[0], alice.user_id, bob.access_token), "");
  EXPECT_EQ(JsonBool(VideoById(hers[0], alice.access_token).json, "video.is_public"), false);

  const HttpResponse bad = Client().PostMultipartFiles(
      "/douyin/publish/action/",
      {{"token", alice.access_token}, {"title", "x"}, {"is_public", "perhaps"}},
      {{.field = "data",
        .path = Media().Get(MediaKind::kFaststartMp4),
        .filename = "clip.mp4",
        .content_type = "video/mp4"}});
  EXPECT_NE(JsonInt(bad.Json(), "status_code").value_or(0), 0) << bad.Describe();
  EXPECT_EQ(DouyinList("/douyin/publish/list/", {{"user_id", std::to_string(alice.user_id)}},
                       alice.access_token)
                .size(),
            1u)
      << "the refusal published nothing";
}

TEST_F(VisibilityTest, ProvenanceIsCheckedAndCreatIsCreatesAlias) {
  const ApiSession alice = NewApiUser("alice");
  const ApiReply repost =
      Create(alice, "a repost", R"("is_original":false,"source_url":"https://example.com/v/1")",
             "/api/video/creat");
  ASSERT_TRUE(IsApiOk(repost)) << repost.Describe();
  const std::int64_t id = JsonInt(repost.json, "video.id").value_or(0);
  EXPECT_EQ(JsonBool(repost.json, "video.is_original"), false);
  EXPECT_EQ(JsonString(repost.json, "video.source_url"), "https://example.com/v/1");
  EXPECT_EQ(JsonBool(repost.json, "video.is_public"), true);

  const std::string long_url = "https://example.com/" + std::string(2048, 'a');
  const std::vector<std::string> bad_sources = {
      R"("is_original":false)",
      R"("is_original":false,"source_url":"")",
      R"("is_original":false,"source_url":"ftp://example.com/v")",
      R"x("is_original":false,"source_url":"javascript:alert(1)")x",
      R"("is_original":false,"source_url":")" + long_url + '"',
      R"("source_url":"https://example.com/v")",
  };
  for (const std::string& extra : bad_sources) {
    SCOPED_TRACE(extra);
    EXPECT_TRUE(IsApiError(Create(alice, "bad", extra), 400, "SOURCE_URL_INVALID"));
  }
  EXPECT_TRUE(IsApiError(Create(alice, "bad", R"("is_public":"perhaps")"), 400, "PARAM_INVALID"));
  EXPECT_EQ(ApiList("/api/video", {{"user_id", std::to_string(alice.user_id)}}, alice.access_token),
            Ids{id})
      << "no refusal published anything";

  // Edits: a bad source changes nothing; becoming an original drops the source.
  EXPECT_TRUE(
      IsApiError(Patch(alice, id, R"({"source_url":"mailto:a@b.c"})"), 400, "SOURCE_URL_INVALID"));
  EXPECT_EQ(JsonString(VideoById(id).json, "video.source_url"), "https://example.com/v/1");
  const ApiReply original = Patch(alice, id, R"({"is_original":true})");
  ASSERT_TRUE(IsApiOk(original)) << original.Describe();
  EXPECT_EQ(JsonString(original.json, "video.source_url"), "");
  EXPECT_EQ(JsonBool(original.json, "video.is_original"), true);
}

// moderation.mode=pre: a new video waits for a moderator, seen only by its author, marked
// pending.
class PreModerationTest : public VisibilityTest {
 protected:
  ServerOptions Options() const override {
    ServerOptions options = VisibilityTest::Options();
    options.env["REEL_MODERATION_MODE"] = "pre";
    return options;
  }
};

TEST_F(PreModerationTest, NewVideosArePendingAndShownOnlyToTheirAuthor) {
  const ApiSession alice = NewApiUser("alice");
  const ApiSession bob = NewApiUser("bob");
  ASSERT_TRUE(IsApiOk(
      PostApi("/api/relation/control",
              R"({"to_user_id":)" + std::to_string(alice.user_id) + R"(,"action":"follow"})",
              bob.access_token)));
  const ApiReply created = Create(alice, "lighthouse pending");
  ASSERT_TRUE(IsApiOk(created)) << created.Describe();
  const std::int64_t id = JsonInt(created.json, "video.id").value_or(0);
  EXPECT_EQ(JsonString(created.json, "video.audit_status"), "pending");
  EXPECT_EQ(JsonBool(created.json, "video.is_public"), true);
  EXPECT_EQ(JsonString(created.json, "video.audit_reason"), "") << "shown to the author";

  EXPECT_EQ(SettledPlaces("", id, alice.user_id, bob.access_token), "");
  EXPECT_EQ(SettledPlaces("", id, alice.user_id, ""), "");
  EXPECT_EQ(JsonString(VideoById(id, alice.access_token).json, "video.audit_status"), "pending");
  EXPECT_EQ(ApiList("/api/video", {{"user_id", std::to_string(alice.user_id)}}, alice.access_token),
            Ids{id});
  EXPECT_EQ(DouyinWorkCount(alice.user_id, bob.access_token), 0);
  EXPECT_EQ(ApiWorkCount(alice.user_id, alice.access_token), 1);
}

}  // namespace
}  // namespace reel::e2e
