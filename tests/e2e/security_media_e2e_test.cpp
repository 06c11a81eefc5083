// The media lifecycle through the public API (issue 15, findings 2, 3, 6 and 14): a deleted
// video's files answer 404 once nothing uses them, unpublished uploads expire, per-user
// quotas on pending uploads and stored bytes, only an uploader may publish an upload, and the
// upload routes take the usual file field names.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>

#include "api_helpers.hpp"
#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr std::string_view kUpload = "/api/video/upload";
constexpr std::string_view kCreate = "/api/video/create";

// What an upload answered: the keys of the object it names.
struct Uploaded {
  HttpResponse response;
  std::string media_key;
  std::string cover_key;
};

class SecurityMediaTest : public MediaServerTest {
 protected:
  void SetUp() override {
    MediaServerTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = RegisterApi(Client(), "alice", "password");
    bob_ = RegisterApi(Client(), "bob", "password");
    ASSERT_GT(alice_.user_id, 0);
    ASSERT_GT(bob_.user_id, 0);
  }

  Uploaded Upload(const ApiSession& who, MediaKind kind, std::string field = "data") {
    Uploaded out;
    out.response = Client().PostMultipartFiles(
        kUpload, {},
        {{.field = std::move(field), .path = Media().Get(kind), .content_type = "video/mp4"}},
        Bearer(who.access_token));
    const rapidjson::Document body = out.response.Json();
    out.media_key = JsonString(body, "media.media_key").value_or("");
    out.cover_key = JsonString(body, "media.cover_key").value_or("");
    return out;
  }
  Uploaded UploadOk(const ApiSession& who, MediaKind kind) {
    Uploaded out = Upload(who, kind);
    EXPECT_EQ(out.response.status, 200) << out.response.Describe();
    EXPECT_FALSE(out.media_key.empty());
    return out;
  }
  HttpResponse Create(const ApiSession& who, std::string_view media_key) {
    return Client().PostJson(
        kCreate, R"({"media_key":")" + std::string(media_key) + R"(","title":"a clip"})",
        Bearer(who.access_token));
  }
  std::int64_t CreateOk(const ApiSession& who, std::string_view media_key) {
    const HttpResponse response = Create(who, media_key);
    EXPECT_EQ(response.status, 200) << response.Describe();
    return JsonInt(response.Json(), "video.id").value_or(0);
  }
  HttpResponse Delete(const ApiSession& who, std::int64_t video_id) {
    return Client().Request("DELETE", "/api/video/" + std::to_string(video_id), {}, {},
                            Bearer(who.access_token));
  }
  long MediaStatus(std::string_view key) {
    return Client().Get("/media/" + std::string(key)).status;
  }
  // Polls (bounded) until both of the object's URLs answer `status`; false if they never do.
  bool WaitForMediaStatus(const Uploaded& object, long status) {
    for (int attempt = 0; attempt < 150; ++attempt) {
      if (MediaStatus(object.media_key) == status && MediaStatus(object.cover_key) == status) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

  ApiSession alice_;
  ApiSession bob_;
};

// ---- finding 2: a deleted video's media stays public -------------------------------------

TEST_F(SecurityMediaTest, DeletedVideosMediaAnswers404OnceNoVideoUsesIt) {
  const Uploaded alices = UploadOk(alice_, MediaKind::kFaststartMp4);
  const std::int64_t first = CreateOk(alice_, alices.media_key);
  // Bob uploads the same bytes: the same object, stored once.
  const Uploaded bobs = UploadOk(bob_, MediaKind::kFaststartMp4);
  ASSERT_EQ(bobs.media_key, alices.media_key);
  const std::int64_t second = CreateOk(bob_, bobs.media_key);
  EXPECT_EQ(MediaStatus(alices.media_key), 200);
  EXPECT_EQ(MediaStatus(alices.cover_key), 200);

  ASSERT_EQ(Delete(alice_, first).status, 200);
  EXPECT_EQ(MediaStatus(alices.media_key), 200) << "Bob's video still shows it";
  EXPECT_EQ(MediaStatus(alices.cover_key), 200);

  ASSERT_EQ(Delete(bob_, second).status, 200);
  EXPECT_EQ(MediaStatus(alices.media_key), 404);
  EXPECT_EQ(MediaStatus(alices.cover_key), 404);
  EXPECT_TRUE(FilesUnder(MediaDir()).empty()) << "the files are gone, not only hidden";
  EXPECT_TRUE(IsApiError(Create(alice_, alices.media_key), 404, "MEDIA_NOT_FOUND"));
}

TEST_F(SecurityMediaTest, ARefusedDeleteKeepsTheMedia) {
  const Uploaded alices = UploadOk(alice_, MediaKind::kFaststartMp4);
  const std::int64_t video = CreateOk(alice_, alices.media_key);
  EXPECT_TRUE(IsApiError(Delete(bob_, video), 403, "VIDEO_NOT_YOURS"));
  EXPECT_EQ(MediaStatus(alices.media_key), 200);
  EXPECT_EQ(MediaStatus(alices.cover_key), 200);
}

// ---- finding 3: unpublished uploads live for ever, with no quota --------------------------

class ExpiringUploadsTest : public SecurityMediaTest {
 protected:
  ServerOptions Options() const override {
    return {
        .env = {{"REEL_MEDIA_PENDING_UPLOAD_TTL", "2s"}, {"REEL_MEDIA_SWEEP_INTERVAL", "100ms"}}};
  }
};

TEST_F(ExpiringUploadsTest, AnUnpublishedUploadIsRemovedAfterTheTtlAndAPublishedOneStays) {
  const Uploaded published = UploadOk(alice_, MediaKind::kFaststartMp4);
  CreateOk(alice_, published.media_key);
  const Uploaded pending = UploadOk(alice_, MediaKind::kWebm);
  EXPECT_EQ(MediaStatus(pending.media_key), 200);

  EXPECT_TRUE(WaitForMediaStatus(pending, 404)) << "the unpublished upload never expired";
  EXPECT_TRUE(IsApiError(Create(alice_, pending.media_key), 404, "MEDIA_NOT_FOUND"));
  EXPECT_EQ(MediaStatus(published.media_key), 200) << "a video still shows it";
  EXPECT_EQ(MediaStatus(published.cover_key), 200);
  EXPECT_EQ(FilesUnder(MediaDir()).size(), 2u) << "the published object's video and cover";
}

class PendingUploadLimitTest : public SecurityMediaTest {
 protected:
  ServerOptions Options() const override {
    return {.env = {{"REEL_MEDIA_MAX_PENDING_UPLOADS_PER_USER", "2"}}};
  }
};

TEST_F(PendingUploadLimitTest, OneUploadPastThePendingLimitIsRefusedUntilOneIsPublished) {
  const Uploaded first = UploadOk(alice_, MediaKind::kFaststartMp4);
  UploadOk(alice_, MediaKind::kWebm);
  const auto files_before = FilesUnder(MediaDir());

  const Uploaded third = Upload(alice_, MediaKind::kHdMp4);
  EXPECT_TRUE(IsApiError(third.response, 429, "UPLOADS_PENDING_LIMIT"));
  EXPECT_FALSE(third.response.Header("Retry-After").empty());
  EXPECT_EQ(FilesUnder(MediaDir()), files_before) << "the refused upload stored nothing";

  UploadOk(bob_, MediaKind::kHdMp4);   // the limit is per user
  UploadOk(alice_, MediaKind::kWebm);  // uploading a pending one again adds none
  CreateOk(alice_, first.media_key);
  UploadOk(alice_, MediaKind::kHdMp4);  // publishing freed a place
}

class StorageQuotaTest : public SecurityMediaTest {
 protected:
  // Room for the faststart clip and the WebM together, one byte short.
  ServerOptions Options() const override {
    const auto mp4 = fs::file_size(Media().Get(MediaKind::kFaststartMp4));
    const auto webm = fs::file_size(Media().Get(MediaKind::kWebm));
    return {.env = {{"REEL_MEDIA_MAX_BYTES_PER_USER", std::to_string(mp4 + webm - 1)}}};
  }
};

TEST_F(StorageQuotaTest, StoredBytesPastTheQuotaAreRefusedOnBothApis) {
  const Uploaded first = UploadOk(alice_, MediaKind::kFaststartMp4);
  CreateOk(alice_, first.media_key);
  const auto files_before = FilesUnder(MediaDir());

  const Uploaded over = Upload(alice_, MediaKind::kWebm);
  EXPECT_TRUE(IsApiError(over.response, 413, "STORAGE_QUOTA_EXCEEDED"));
  EXPECT_NE(JsonString(over.response.Json(), "message").value_or("").find("quota"),
            std::string::npos);
  EXPECT_EQ(FilesUnder(MediaDir()), files_before) << "the refused upload stored nothing";

  // The Douyin publish route counts the same bytes.
  const DouyinSession douyin = LoginDouyin(Client(), "alice", "password");
  const HttpResponse published =
      Publish({.file = Media().Get(MediaKind::kWebm), .token = douyin.token});
  EXPECT_EQ(DouyinStatusCode(published), 413) << published.Describe();
  EXPECT_EQ(FilesUnder(MediaDir()), files_before);

  EXPECT_EQ(Upload(bob_, MediaKind::kWebm).response.status, 200) << "the quota is per user";
  EXPECT_EQ(Upload(alice_, MediaKind::kFaststartMp4).response.status, 200)
      << "bytes she stores already cost nothing";
}

// ---- finding 6: anyone can publish someone else's upload ---------------------------------

TEST_F(SecurityMediaTest, OnlyAnUploaderMayPublishAnUpload) {
  const Uploaded alices = UploadOk(alice_, MediaKind::kFaststartMp4);
  EXPECT_TRUE(IsApiError(Create(bob_, alices.media_key), 403, "MEDIA_NOT_YOURS"));

  // A key taken from the play_url of Alice's published video: still hers.
  const std::int64_t video = CreateOk(alice_, alices.media_key);
  const HttpResponse shown = Client().Get("/api/video/" + std::to_string(video));
  const std::string play_key = LastSegment(JsonString(shown.Json(), "video.play_url").value_or(""));
  ASSERT_EQ(play_key, alices.media_key);
  EXPECT_TRUE(IsApiError(Create(bob_, play_key), 403, "MEDIA_NOT_YOURS"));
  const HttpResponse bobs_videos =
      Client().Get("/api/video?user_id=" + std::to_string(bob_.user_id));
  EXPECT_TRUE(ApiIds(bobs_videos.Json(), "videos").empty()) << bobs_videos.Describe();

  // Bob uploading the same bytes himself may publish them; they are still stored once.
  const Uploaded bobs = UploadOk(bob_, MediaKind::kFaststartMp4);
  EXPECT_EQ(bobs.media_key, alices.media_key);
  CreateOk(bob_, bobs.media_key);
  EXPECT_EQ(FilesUnder(MediaDir()).size(), 2u);
}

// ---- finding 14: the upload takes only the field `data` ----------------------------------

TEST_F(SecurityMediaTest, UploadsTakeTheFieldsDataFileAndVideo) {
  EXPECT_EQ(Upload(alice_, MediaKind::kFaststartMp4, "file").response.status, 200);
  EXPECT_EQ(Upload(alice_, MediaKind::kWebm, "video").response.status, 200);
  EXPECT_EQ(Upload(alice_, MediaKind::kHdMp4, "data").response.status, 200);

  const Uploaded wrong = Upload(alice_, MediaKind::kFaststartMp4, "clip");
  EXPECT_TRUE(IsApiError(wrong.response, 400, "PARAM_MISSING"));
  const std::string message = JsonString(wrong.response.Json(), "message").value_or("");
  for (std::string_view name : {"'data'", "'file'", "'video'"}) {
    EXPECT_NE(message.find(name), std::string::npos) << message;
  }

  // The Douyin publish route takes the same names.
  const DouyinSession douyin = LoginDouyin(Client(), "bob", "password");
  const HttpResponse published = Client().PostMultipartFiles(
      "/douyin/publish/action/", {{"token", douyin.token}, {"title", "a clip"}},
      {{.field = "video", .path = Media().Get(MediaKind::kWebm), .content_type = "video/webm"}});
  EXPECT_EQ(DouyinStatusCode(published), 0) << published.Describe();
  const HttpResponse refused = Client().PostMultipartFiles(
      "/douyin/publish/action/", {{"token", douyin.token}, {"title", "a clip"}},
      {{.field = "clip", .path = Media().Get(MediaKind::kWebm), .content_type = "video/webm"}});
  EXPECT_EQ(DouyinStatusCode(refused), 400) << refused.Describe();
  EXPECT_NE(refused.body.find("'video'"), std::string::npos) << refused.Describe();
}

}  // namespace
}  // namespace reel::e2e
