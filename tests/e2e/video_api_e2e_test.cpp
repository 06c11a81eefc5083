// The JSON API's video routes end to end: upload then create, list, read, edit, delete, with
// every refusal (tokens, ownership, ids, tags, files) checked to change nothing, and the
// Douyin routes seeing the same videos.
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUpload = "/api/video/upload";
constexpr std::string_view kCreate = "/api/video/create";
constexpr std::string_view kList = "/api/video";
constexpr std::string_view kSecret = "video-e2e-secret-long-enough-0123456789";
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// No token, no header: "" stands for an anonymous caller.
Pairs Bearer(std::string_view token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + std::string(token)}};
}

std::string VideoPath(std::int64_t id) {
  return "/api/video/" + std::to_string(id);
}

void ExpectError(const HttpResponse& response, long status, std::string_view reason) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, status);
  const rapidjson::Document doc = response.Json();
  EXPECT_EQ(JsonInt(doc, "code"), status);
  EXPECT_EQ(JsonString(doc, "reason"), std::string(reason));
  EXPECT_FALSE(JsonString(doc, "message").value_or("").empty());
}

std::vector<std::string> Strings(const rapidjson::Value* array) {
  std::vector<std::string> out;
  if (array == nullptr || !array->IsArray()) {
    ADD_FAILURE() << "not an array";
    return out;
  }
  for (const auto& item : array->GetArray())
    out.push_back(item.IsString() ? item.GetString() : "?");
  return out;
}

using Tags = std::vector<std::string>;

class VideoApiTest : public MediaServerTest {
 protected:
  // The secret is known, so tests can forge the expired token a real client would hold.
  ServerOptions Options() const override {
    return {.env = {{"REEL_AUTH_JWT_SECRET", std::string(kSecret)}}};
  }
  void SetUp() override {
    MediaServerTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = RegisterApi(Client(), "alice", "password");
    bob_ = RegisterApi(Client(), "bob", "password");
    ASSERT_GT(alice_.user_id, 0);
    ASSERT_GT(bob_.user_id, 0);
  }

  HttpResponse Upload(std::string_view token, const fs::path& file,
                      std::string filename = "clip.mp4") {
    return Client().PostMultipartFiles(kUpload, {},
                                       {{.field = "data",
                                         .path = file,
                                         .filename = std::move(filename),
                                         .content_type = "video/mp4"}},
                                       Bearer(token));
  }
  // Uploads the faststart clip as `session` and returns its media_key.
  std::string UploadedKey(const ApiSession& session) {
    const HttpResponse response =
        Upload(session.access_token, Media().Get(MediaKind::kFaststartMp4));
    EXPECT_EQ(response.status, 200) << response.Describe();
    return JsonString(response.Json(), "media.media_key").value_or("");
  }
  HttpResponse Create(std::string_view token, std::string_view json) {
    return Client().PostJson(kCreate, json, Bearer(token));
  }
  // Publishes a video through the /api and returns its id (0 on failure).
  std::int64_t Publish(const ApiSession& session, std::string_view title,
                       std::string_view tags_json = "[]") {
    const std::string key = UploadedKey(session);
    const HttpResponse response = Create(
        session.access_token, R"({"media_key":")" + key + R"(","title":")" + std::string(title) +
                                  R"(","tags":)" + std::string(tags_json) + "}");
    EXPECT_EQ(response.status, 200) << response.Describe();
    return JsonInt(response.Json(), "video.id").value_or(0);
  }
  HttpResponse Patch(std::string_view token, std::string_view path, std::string_view json) {
    return Client().Request("PATCH", path, json, "application/json", Bearer(token));
  }
  HttpResponse Delete(std::string_view token, std::string_view path) {
    return Client().Request("DELETE", path, {}, {}, Bearer(token));
  }
  HttpResponse Get(std::string_view path, std::string_view token = {}) {
    return Client().Get(path, Bearer(token));
  }
  // GET /api/video/{id}'s video object; checks it answered 200.
  rapidjson::Document VideoById(std::int64_t id) {
    const HttpResponse response = Get(VideoPath(id));
    EXPECT_EQ(response.status, 200) << response.Describe();
    rapidjson::Document doc = response.Json();
    return doc;
  }
  // Every token a write must refuse, with the reason it must give.
  std::vector<std::pair<std::string, std::string>> BadTokens() const {
    const std::string payload = R"({"sub":")" + std::to_string(alice_.user_id) + R"(","iat":)" +
                                std::to_string(UnixNow() - 120) + R"(,"exp":)" +
                                std::to_string(UnixNow() - 60) + R"(,"typ":"access"})";
    const std::string fresh = R"({"sub":")" + std::to_string(alice_.user_id) + R"(","iat":)" +
                              std::to_string(UnixNow()) + R"(,"exp":)" +
                              std::to_string(UnixNow() + 600) + R"(,"typ":"access"})";
    return {
        {"", "TOKEN_MISSING"},
        {MakeJwt(kHs256Header, payload, kSecret), "TOKEN_EXPIRED"},
        {MakeJwt(kHs256Header, fresh, "another-secret-that-is-long-enough-0123"), "TOKEN_INVALID"},
        {alice_.refresh_token, "TOKEN_INVALID"},
    };
  }
  DouyinSession AsDouyin(const ApiSession& session) {
    return {session.user_id, session.access_token};
  }

  ApiSession alice_;
  ApiSession bob_;
};

TEST_F(VideoApiTest, UploadAnswersTheMediaObjectAndPublishesNothing) {
  const HttpResponse response = Upload(alice_.access_token, Media().Get(MediaKind::kFaststartMp4));
  ASSERT_EQ(response.status, 200) << response.Describe();
  const rapidjson::Document doc = response.Json();
  const std::string key = JsonString(doc, "media.media_key").value_or("");
  const std::string cover = JsonString(doc, "media.cover_key").value_or("");
  EXPECT_EQ(key.size(), 64u + 4u) << key;
  EXPECT_TRUE(key.ends_with(".mp4")) << key;
  EXPECT_EQ(cover, key.substr(0, 64) + ".jpg");
  EXPECT_EQ(JsonString(doc, "media.play_url"), MediaUrlPrefix() + key);
  EXPECT_EQ(JsonString(doc, "media.cover_url"), MediaUrlPrefix() + cover);
  EXPECT_EQ(JsonInt(doc, "media.width"), 320);
  EXPECT_EQ(JsonInt(doc, "media.height"), 240);
  EXPECT_NEAR(static_cast<double>(JsonInt(doc, "media.duration_ms").value_or(0)), 2000, 200);
  EXPECT_GT(JsonInt(doc, "media.size_bytes").value_or(0), 0);
  EXPECT_EQ(Get("/media/" + key).status, 200);
  EXPECT_EQ(Get("/media/" + cover).status, 200);

  // Uploaded, not published: nothing is listed yet.
  const HttpResponse mine = Get(kList, alice_.access_token);
  EXPECT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_TRUE(Strings(JsonAt(mine.Json(), "videos")).empty());
  EXPECT_EQ(WorkCount(alice_.user_id), 0);
}

TEST_F(VideoApiTest, CreateAnswersTheVideoObjectWithNormalisedTags) {
  const std::string key = UploadedKey(alice_);
  const HttpResponse response =
      Create(alice_.access_token, R"({"media_key":")" + key +
                                      R"(","title":" First clip ","description":"about cats",)"
                                      R"("tags":[" Cats","dogs","CATS","猫"]})");
  ASSERT_EQ(response.status, 200) << response.Describe();
  const rapidjson::Document doc = response.Json();
  const rapidjson::Value* video = JsonAt(doc, "video");
  ASSERT_NE(video, nullptr);
  ExpectVideoObject(*video, alice_.user_id);
  EXPECT_EQ(JsonString(*video, "title"), "First clip");
  EXPECT_EQ(JsonString(*video, "description"), "about cats");
  EXPECT_EQ(Strings(JsonAt(*video, "tags")), (Tags{"cats", "dogs", "猫"}));
  EXPECT_EQ(JsonString(*video, "play_url"), MediaUrlPrefix() + key);
  EXPECT_EQ(JsonInt(*video, "width"), 320);
  EXPECT_EQ(JsonInt(*video, "height"), 240);
  EXPECT_GT(JsonInt(*video, "duration_ms").value_or(0), 0);
  EXPECT_NEAR(static_cast<double>(JsonInt(*video, "created_at").value_or(0)),
              static_cast<double>(UnixNow()) * 1000, 60'000);
  EXPECT_EQ(JsonInt(*video, "author.work_count"), 1);

  // The same tags come back on every read.
  const std::int64_t id = JsonInt(*video, "id").value_or(0);
  EXPECT_EQ(Strings(JsonAt(VideoById(id), "video.tags")), (Tags{"cats", "dogs", "猫"}));
  EXPECT_EQ(Strings(JsonAt(Get(kList, alice_.access_token).Json(), "videos.0.tags")),
            (Tags{"cats", "dogs", "猫"}));
  // One comma-separated string is accepted too, and no tags at all.
  const HttpResponse as_string =
      Create(alice_.access_token, R"({"media_key":")" + key + R"(","title":"b","tags":"a, B ,"})");
  EXPECT_EQ(Strings(JsonAt(as_string.Json(), "video.tags")), (Tags{"a", "b"}))
      << as_string.Describe();
  const HttpResponse untagged =
      Create(alice_.access_token, R"({"media_key":")" + key + R"(","title":"c"})");
  EXPECT_TRUE(Strings(JsonAt(untagged.Json(), "video.tags")).empty()) << untagged.Describe();
}

TEST_F(VideoApiTest, CreateRefusalsNameTheProblemAndStoreNothing) {
  const std::string key = UploadedKey(alice_);
  const std::string media = R"({"media_key":")" + key + R"(",)";
  std::string eleven = "[";
  for (int i = 0; i < 11; ++i) eleven += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  eleven += "]";

  ExpectError(Create(alice_.access_token, R"({"title":"t"})"), 400, "PARAM_MISSING");
  ExpectError(Create(alice_.access_token, media + R"("description":"d"})"), 400, "PARAM_MISSING");
  ExpectError(Create(alice_.access_token, media + R"("title":"   "})"), 400, "TITLE_INVALID");
  ExpectError(Create(alice_.access_token, media + R"("title":"t","tags":)" + eleven + "}"), 400,
              "TAGS_INVALID");
  const HttpResponse long_tag = Create(
      alice_.access_token, media + R"("title":"t","tags":["ok",")" + std::string(33, 'x') + "\"]}");
  ExpectError(long_tag, 400, "TAGS_INVALID");
  EXPECT_NE(JsonString(long_tag.Json(), "message").value_or("").find("tag 2"), std::string::npos);
  ExpectError(Create(alice_.access_token, media + R"("title":"t","tags":["a",""]})"), 400,
              "TAGS_INVALID");
  ExpectError(Create(alice_.access_token, media + R"("title":"t","tags":["a",7]})"), 400,
              "PARAM_INVALID");
  ExpectError(Create(alice_.access_token,
                     R"({"media_key":")" + std::string(64, 'b') + R"(.mp4","title":"t"})"),
              404, "MEDIA_NOT_FOUND");
  ExpectError(Create(alice_.access_token, R"({"media_key":"../reel.db","title":"t"})"), 404,
              "MEDIA_NOT_FOUND");
  const HttpResponse not_json = Create(alice_.access_token, R"({"media_key": )");
  EXPECT_EQ(not_json.status, 400) << not_json.Describe();

  const HttpResponse mine = Get(kList, alice_.access_token);
  EXPECT_TRUE(Strings(JsonAt(mine.Json(), "videos")).empty()) << mine.Describe();
}

TEST_F(VideoApiTest, EveryWriteRefusesMissingExpiredForgedAndRefreshTokens) {
  const std::int64_t id = Publish(alice_, "mine", R"(["keep"])");
  ASSERT_GT(id, 0);
  const std::string key = UploadedKey(alice_);
  const fs::path clip = Media().Get(MediaKind::kFaststartMp4);
  const std::vector<fs::path> media_before = FilesUnder(MediaDir());

  for (const auto& [token, reason] : BadTokens()) {
    SCOPED_TRACE(reason + " " + token);
    ExpectError(Upload(token, clip), 401, reason);
    ExpectError(Create(token, R"({"media_key":")" + key + R"(","title":"t"})"), 401, reason);
    ExpectError(Patch(token, VideoPath(id), R"({"title":"stolen"})"), 401, reason);
    ExpectError(Delete(token, VideoPath(id)), 401, reason);
  }
  // On /api only the Authorization header counts: a token in the URL is not read.
  const std::string in_query = WithQuery(VideoPath(id), {{"token", alice_.access_token}});
  ExpectError(Client().Request("DELETE", in_query), 401, "TOKEN_MISSING");
  ExpectError(Client().PostJson(WithQuery(kCreate, {{"token", alice_.access_token}}),
                                R"({"media_key":")" + key + R"(","title":"t"})"),
              401, "TOKEN_MISSING");

  const rapidjson::Document after = VideoById(id);
  EXPECT_EQ(JsonString(after, "video.title"), "mine");
  EXPECT_EQ(Strings(JsonAt(after, "video.tags")), Tags{"keep"});
  const rapidjson::Document listed = Get(kList, alice_.access_token).Json();
  EXPECT_EQ(JsonInt(listed, "videos.0.id"), id);
  EXPECT_EQ(JsonAt(listed, "videos.1"), nullptr) << "a refused create published a video";
  EXPECT_EQ(FilesUnder(MediaDir()), media_before);
}

TEST_F(VideoApiTest, ReadsAreOpenToAnyoneButRefuseABadToken) {
  const std::int64_t id = Publish(alice_, "public", R"(["x"])");
  ASSERT_GT(id, 0);
  EXPECT_EQ(JsonInt(VideoById(id), "video.id"), id);
  const HttpResponse as_bob = Get(VideoPath(id), bob_.access_token);
  EXPECT_EQ(JsonInt(as_bob.Json(), "video.author.id"), alice_.user_id) << as_bob.Describe();
  const HttpResponse listed = Get(WithQuery(kList, {{"user_id", std::to_string(alice_.user_id)}}));
  EXPECT_EQ(JsonInt(listed.Json(), "videos.0.id"), id) << listed.Describe();

  ExpectError(Get(VideoPath(id), "not-a-token"), 401, "TOKEN_INVALID");
  ExpectError(Get(VideoPath(id), alice_.refresh_token), 401, "TOKEN_INVALID");
  ExpectError(Get(kList), 401, "TOKEN_MISSING");
  ExpectError(Get(WithQuery(kList, {{"user_id", std::to_string(alice_.user_id)}}), "bad"), 401,
              "TOKEN_INVALID");
}

TEST_F(VideoApiTest, UnknownAndMalformedIdsAre404And400) {
  const std::int64_t id = Publish(alice_, "one");
  ASSERT_GT(id, 0);
  ExpectError(Get(VideoPath(id + 1000)), 404, "VIDEO_NOT_FOUND");
  ExpectError(Patch(alice_.access_token, VideoPath(id + 1000), R"({"title":"x"})"), 404,
              "VIDEO_NOT_FOUND");
  ExpectError(Delete(alice_.access_token, VideoPath(id + 1000)), 404, "VIDEO_NOT_FOUND");
  for (const char* bad :
       {"abc", "0", "-1", "9007199254740992", "99999999999999999999", "1e3", "12abc", "+5"}) {
    SCOPED_TRACE(bad);
    const std::string path = "/api/video/" + std::string(bad);
    ExpectError(Get(path), 400, "PARAM_INVALID");
    ExpectError(Patch(alice_.access_token, path, R"({"title":"x"})"), 400, "PARAM_INVALID");
    ExpectError(Delete(alice_.access_token, path), 400, "PARAM_INVALID");
  }
  EXPECT_EQ(Get(VideoPath(id)).status, 200);
  ExpectError(Get(WithQuery(kList, {{"user_id", "abc"}})), 400, "PARAM_INVALID");
  ExpectError(Get(WithQuery(kList, {{"user_id", "0"}})), 400, "PARAM_INVALID");
}

TEST_F(VideoApiTest, TheAuthorEditsTitleDescriptionAndTags) {
  const std::int64_t id = Publish(alice_, "draft", R"(["cats","dogs"])");
  ASSERT_GT(id, 0);
  const std::string path = VideoPath(id);

  const HttpResponse retitled = Patch(alice_.access_token, path, R"({"title":"  Final  "})");
  ASSERT_EQ(retitled.status, 200) << retitled.Describe();
  const rapidjson::Document retitled_doc = retitled.Json();
  ASSERT_NE(JsonAt(retitled_doc, "video"), nullptr);
  ExpectVideoObject(*JsonAt(retitled_doc, "video"), alice_.user_id);
  EXPECT_EQ(JsonString(retitled.Json(), "video.title"), "Final");
  EXPECT_EQ(Strings(JsonAt(retitled.Json(), "video.tags")), (Tags{"cats", "dogs"}));

  const HttpResponse retagged =
      Patch(alice_.access_token, path, R"({"description":"now with words","tags":["Birds"]})");
  ASSERT_EQ(retagged.status, 200) << retagged.Describe();
  EXPECT_EQ(JsonString(retagged.Json(), "video.title"), "Final");
  EXPECT_EQ(JsonString(retagged.Json(), "video.description"), "now with words");
  EXPECT_EQ(Strings(JsonAt(retagged.Json(), "video.tags")), Tags{"birds"});

  const HttpResponse untagged = Patch(alice_.access_token, path, R"({"tags":[]})");
  EXPECT_TRUE(Strings(JsonAt(untagged.Json(), "video.tags")).empty()) << untagged.Describe();

  const rapidjson::Document stored = VideoById(id);
  EXPECT_EQ(JsonString(stored, "video.title"), "Final");
  EXPECT_EQ(JsonString(stored, "video.description"), "now with words");
  EXPECT_TRUE(Strings(JsonAt(stored, "video.tags")).empty());
}

TEST_F(VideoApiTest, EditRefusalsChangeNothing) {
  const std::int64_t id = Publish(alice_, "original", R"(["keep"])");
  ASSERT_GT(id, 0);
  const std::string path = VideoPath(id);

  ExpectError(Patch(bob_.access_token, path, R"({"title":"bob's now"})"), 403, "VIDEO_NOT_YOURS");
  ExpectError(Patch(alice_.access_token, path, "{}"), 400, "PARAM_MISSING");
  ExpectError(Patch(alice_.access_token, path, R"({"title":""})"), 400, "TITLE_INVALID");
  ExpectError(Patch(alice_.access_token, path, R"({"title":"fine","tags":["a\u0007"]})"), 400,
              "TAGS_INVALID");
  ExpectError(Patch(alice_.access_token, path, R"({"tags":["a","b,c"]})"), 400, "TAGS_INVALID");
  ExpectError(Patch(alice_.access_token, path, R"({"tags":[{"a":1}]})"), 400, "PARAM_INVALID");

  const rapidjson::Document stored = VideoById(id);
  EXPECT_EQ(JsonString(stored, "video.title"), "original");
  EXPECT_EQ(Strings(JsonAt(stored, "video.tags")), Tags{"keep"});
}

TEST_F(VideoApiTest, DeleteIsForTheAuthorAndRemovesTheVideoEverywhere) {
  const DouyinSession douyin = AsDouyin(alice_);
  const std::int64_t kept = Publish(alice_, "kept");
  const std::int64_t doomed = Publish(alice_, "doomed", R"(["bye"])");
  ASSERT_GT(doomed, 0);
  const std::string play_url = JsonString(VideoById(doomed), "video.play_url").value_or("");

  ExpectError(Delete(bob_.access_token, VideoPath(doomed)), 403, "VIDEO_NOT_YOURS");
  EXPECT_EQ(Get(VideoPath(doomed)).status, 200);

  const HttpResponse deleted = Delete(alice_.access_token, VideoPath(doomed));
  ASSERT_EQ(deleted.status, 200) << deleted.Describe();
  EXPECT_EQ(JsonBool(deleted.Json(), "deleted"), true);
  ExpectError(Get(VideoPath(doomed)), 404, "VIDEO_NOT_FOUND");
  ExpectError(Delete(alice_.access_token, VideoPath(doomed)), 404, "VIDEO_NOT_FOUND");
  ExpectError(Patch(alice_.access_token, VideoPath(doomed), R"({"title":"back"})"), 404,
              "VIDEO_NOT_FOUND");

  // Gone from the /api list, the Douyin publish list and the Douyin feed; the other stays.
  const HttpResponse mine = Get(kList, alice_.access_token);
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(JsonInt(mine.Json(), "videos.0.id"), kept);
  EXPECT_EQ(JsonAt(mine.Json(), "videos.1"), nullptr);
  const rapidjson::Document douyin_list = Videos(alice_.user_id, douyin);
  ASSERT_EQ(douyin_list.Size(), 1u);
  EXPECT_EQ(JsonInt(douyin_list[0], "id"), kept);
  const HttpResponse feed = Get("/douyin/feed/");
  const rapidjson::Document feed_doc = feed.Json();
  const rapidjson::Value* feed_videos = JsonAt(feed_doc, "video_list");
  ASSERT_TRUE(feed_videos != nullptr && feed_videos->IsArray()) << feed.Describe();
  std::set<std::int64_t> in_feed;
  for (const auto& video : feed_videos->GetArray()) {
    in_feed.insert(JsonInt(video, "id").value_or(0));
  }
  EXPECT_EQ(in_feed, std::set<std::int64_t>{kept}) << feed.Describe();
  EXPECT_EQ(WorkCount(alice_.user_id), 1);
  // Media objects are shared by content, so the bytes stay playable for the other video.
  EXPECT_EQ(Get(UrlPath(play_url)).status, 200);
}

TEST_F(VideoApiTest, ListPagesToTheEndWithoutRepeatsOrGaps) {
  // One upload, seven videos: each create gets its own, strictly later time.
  const std::string key = UploadedKey(alice_);
  std::vector<std::int64_t> published;
  for (int i = 0; i < 7; ++i) {
    const HttpResponse created =
        Create(alice_.access_token,
               R"({"media_key":")" + key + R"(","title":"v)" + std::to_string(i) + "\"}");
    ASSERT_EQ(created.status, 200) << created.Describe();
    published.push_back(JsonInt(created.Json(), "video.id").value_or(0));
  }
  Publish(bob_, "not alice's");
  const std::vector<std::int64_t> newest_first(published.rbegin(), published.rend());

  for (int limit : {1, 2, 3, 7, 100}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    std::vector<std::int64_t> seen;
    std::string cursor;
    bool has_more = true;
    for (int page = 0; page < 20 && has_more; ++page) {
      Pairs query = {{"limit", std::to_string(limit)}};
      if (!cursor.empty()) query.emplace_back("cursor", cursor);
      const HttpResponse response = Get(WithQuery(kList, query), alice_.access_token);
      ASSERT_EQ(response.status, 200) << response.Describe();
      const rapidjson::Document doc = response.Json();
      const rapidjson::Value* videos = JsonAt(doc, "videos");
      ASSERT_NE(videos, nullptr);
      EXPECT_LE(videos->Size(), static_cast<rapidjson::SizeType>(limit));
      for (const auto& video : videos->GetArray()) {
        seen.push_back(JsonInt(video, "id").value_or(0));
      }
      has_more = JsonBool(doc, "has_more").value_or(false);
      cursor = JsonString(doc, "next_cursor").value_or("?");
      EXPECT_EQ(cursor.empty(), !has_more) << response.Describe();
    }
    EXPECT_FALSE(has_more);
    EXPECT_EQ(seen, newest_first);
  }
  // The default user is the caller; user_id names anyone.
  const HttpResponse bobs =
      Get(WithQuery(kList, {{"user_id", std::to_string(bob_.user_id)}}), alice_.access_token);
  EXPECT_EQ(JsonString(bobs.Json(), "videos.0.title"), "not alice's") << bobs.Describe();
  ExpectError(Get(WithQuery(kList, {{"limit", "0"}}), alice_.access_token), 400, "PARAM_INVALID");
  ExpectError(Get(WithQuery(kList, {{"limit", "101"}}), alice_.access_token), 400, "PARAM_INVALID");
  ExpectError(Get(WithQuery(kList, {{"cursor", "-5"}}), alice_.access_token), 400, "PARAM_INVALID");
}

TEST_F(VideoApiTest, FilesThatAreNotVideosAreRefusedAndStoreNothing) {
  const std::vector<fs::path> media_before = FilesUnder(MediaDir());
  for (MediaKind kind : {MediaKind::kPngImage, MediaKind::kTextFile, MediaKind::kAudioOnlyM4a,
                         MediaKind::kEmptyFile, MediaKind::kTruncatedMp4}) {
    SCOPED_TRACE(static_cast<int>(kind));
    ExpectError(Upload(alice_.access_token, Media().Get(kind)), 400, "MEDIA_INVALID");
  }
  // No file part, or no multipart body at all.
  ExpectError(Client().PostMultipart(kUpload, {{"title", "t"}}, Bearer(alice_.access_token)), 400,
              "PARAM_MISSING");
  ExpectError(Client().PostJson(kUpload, R"({"data":"x"})", Bearer(alice_.access_token)), 400,
              "PARAM_MISSING");
  ExpectNothingStored(AsDouyin(alice_), media_before, 0);
}

TEST_F(VideoApiTest, DouyinPublishStillWorksAndSharesTheVideos) {
  const DouyinSession douyin = AsDouyin(alice_);
  ASSERT_TRUE(PublishOk(douyin, MediaKind::kWebm, "from douyin"));
  const std::int64_t from_api = Publish(alice_, "from api", R"(["api"])");

  const HttpResponse listed = Get(kList, alice_.access_token);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  EXPECT_EQ(JsonInt(listed.Json(), "videos.0.id"), from_api);
  EXPECT_EQ(JsonString(listed.Json(), "videos.1.title"), "from douyin");
  EXPECT_TRUE(Strings(JsonAt(listed.Json(), "videos.1.tags")).empty());

  const rapidjson::Document douyin_list = Videos(alice_.user_id, douyin);
  ASSERT_EQ(douyin_list.Size(), 2u);
  EXPECT_EQ(JsonInt(douyin_list[0], "id"), from_api);
  EXPECT_EQ(Strings(JsonAt(douyin_list[0], "tags")), Tags{"api"});
  EXPECT_EQ(WorkCount(alice_.user_id), 2);
}

// ---- Size limit ----------------------------------------------------------------------------

constexpr std::uintmax_t kSmallLimit = 1024 * 1024;

class VideoApiLimitTest : public VideoApiTest {
 protected:
  ServerOptions Options() const override {
    ServerOptions options = VideoApiTest::Options();
    options.env["REEL_MEDIA_MAX_UPLOAD_BYTES"] = std::to_string(kSmallLimit);
    return options;
  }
  TempDir scratch_;
};

TEST_F(VideoApiLimitTest, UploadOverTheLimitIs413AndLeavesNothing) {
  ASSERT_FALSE(UploadedKey(alice_).empty());
  const std::vector<fs::path> media_before = FilesUnder(MediaDir());
  for (std::uintmax_t size : {kSmallLimit + 1, kSmallLimit * 3}) {
    SCOPED_TRACE(size);
    const fs::path path = scratch_.Path() / "oversize.mp4";
    WriteRandomFile(path, size);
    const HttpResponse response = Upload(alice_.access_token, path);
    if (response.status == 0) {
      // Refused on Content-Length alone, the server may close before the answer is read.
      EXPECT_FALSE(response.error.empty());
      std::cout << "[ note ] " << size << "-byte upload: transport error (" << response.error
                << ")\n";
    } else {
      EXPECT_EQ(response.status, 413) << response.Describe();
      EXPECT_EQ(JsonInt(response.Json(), "code"), 413);
      const std::string reason = ApiReason(response);
      EXPECT_TRUE(reason == "MEDIA_TOO_LARGE" || reason == "BODY_TOO_LARGE") << reason;
    }
  }
  ExpectNothingStored(AsDouyin(alice_), media_before, 0);
  EXPECT_FALSE(UploadedKey(alice_).empty()) << "the server still takes uploads under the limit";
}

}  // namespace
}  // namespace reel::e2e
