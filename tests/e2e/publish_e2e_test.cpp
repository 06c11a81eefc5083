// Douyin publish end to end: POST /douyin/publish/action/ with a multipart video, what the
// publish list and user info say afterwards, and that every refusal leaves no trace.
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

// A refusal is HTTP 200 with the given status_code and a message that says something.
void ExpectRefused(const HttpResponse& response, std::int64_t code) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(DouyinStatusCode(response), code);
  const std::string message = JsonString(response.Json(), "status_msg").value_or("");
  EXPECT_FALSE(message.empty());
  EXPECT_NE(message, "ok");
}

void ExpectAccepted(const HttpResponse& response) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(DouyinStatusCode(response), 0);
  EXPECT_EQ(JsonString(response.Json(), "status_msg"), "ok");
}

class PublishTest : public MediaServerTest {
 protected:
  void SetUp() override {
    MediaServerTest::SetUp();
    if (HasFatalFailure()) return;
    user_ = RegisterDouyin(Client(), "uploader", "password");
    ASSERT_GT(user_.user_id, 0);
  }

  // Uploads the faststart clip with `title`, as user_.
  HttpResponse PublishTitled(std::string title) {
    return Publish({.file = Media().Get(MediaKind::kFaststartMp4),
                    .title = std::move(title),
                    .token = user_.token});
  }

  DouyinSession user_;
};

TEST_F(PublishTest, FaststartMp4IsListedWithAbsoluteMediaUrls) {
  ExpectAccepted(PublishTitled("first clip"));

  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  const rapidjson::Value& video = videos[0];
  ExpectVideoObject(video, user_.user_id);
  EXPECT_EQ(JsonString(video, "title"), "first clip");
  EXPECT_EQ(JsonInt(video, "author.work_count"), 1);
  EXPECT_EQ(JsonString(video, "author.name"), "uploader");
  EXPECT_TRUE(JsonString(video, "play_url").value_or("").ends_with(".mp4"))
      << JsonString(video, "play_url").value_or("");
  EXPECT_EQ(CountFilesEndingIn(MediaDir(), ".mp4"), 1u);
  EXPECT_EQ(CountFilesEndingIn(MediaDir(), ".jpg"), 1u);
}

TEST_F(PublishTest, WorkCountFollowsUploads) {
  EXPECT_EQ(WorkCount(user_.user_id), 0);
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "one"));
  EXPECT_EQ(WorkCount(user_.user_id), 1);
  ASSERT_TRUE(PublishOk(user_, MediaKind::kHdMp4, "two"));
  EXPECT_EQ(WorkCount(user_.user_id), 2);

  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 2u);
  EXPECT_NE(JsonInt(videos[0], "id"), JsonInt(videos[1], "id"));
  for (const rapidjson::Value& video : videos.GetArray()) {
    EXPECT_EQ(JsonInt(video, "author.work_count"), 2);
  }
}

TEST_F(PublishTest, WebmKeepsItsContainer) {
  ExpectAccepted(Publish({.file = Media().Get(MediaKind::kWebm),
                          .title = "webm clip",
                          .token = user_.token,
                          .filename = "clip.webm",
                          .content_type = "video/webm"}));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  ExpectVideoObject(videos[0], user_.user_id);
  const std::string play_url = JsonString(videos[0], "play_url").value_or("");
  EXPECT_TRUE(play_url.ends_with(".webm")) << play_url;
}

TEST_F(PublishTest, TokenIsReadFromQueryAndHeader) {
  const fs::path clip = Media().Get(MediaKind::kFaststartMp4);
  ExpectAccepted(Publish({.file = clip, .title = "by query", .query_token = user_.token}));
  ExpectAccepted(
      Publish({.file = clip, .title = "by header", .headers = {{"token", user_.token}}}));
  EXPECT_EQ(Videos(user_.user_id, user_).Size(), 2u);
}

TEST_F(PublishTest, MissingOrBadTokenIsUnauthenticatedAndStoresNothing) {
  const fs::path clip = Media().Get(MediaKind::kFaststartMp4);
  std::string tampered = user_.token;
  const std::size_t index = tampered.rfind('.') + 5;
  ASSERT_LT(index, tampered.size());
  tampered[index] = tampered[index] == 'A' ? 'B' : 'A';

  ExpectRefused(Publish({.file = clip, .title = "no token"}), 401);
  for (const std::string& token : {std::string("garbage"), std::string("a.b.c"), tampered}) {
    SCOPED_TRACE(token);
    ExpectRefused(Publish({.file = clip, .title = "bad token", .token = token}), 401);
  }
  ExpectNothingStored(user_, {}, 0);
}

TEST_F(PublishTest, MissingDataPartIsInvalid) {
  ExpectRefused(Publish({.title = "no file", .token = user_.token, .send_file = false}), 400);
  ExpectNothingStored(user_, {}, 0);
}

TEST_F(PublishTest, TitleMustBePresentAndNotBlank) {
  const fs::path clip = Media().Get(MediaKind::kFaststartMp4);
  ExpectRefused(Publish({.file = clip, .token = user_.token, .send_title = false}), 400);
  ExpectRefused(PublishTitled(""), 400);
  ExpectRefused(PublishTitled("    "), 400);
  ExpectNothingStored(user_, {}, 0);
}

// Titles are counted in characters, not bytes: 100 Chinese characters are 300 bytes of UTF-8.
TEST_F(PublishTest, TitleOfAtMost100CharactersIsAccepted) {
  ExpectRefused(PublishTitled(Repeat("抖", 101)), 400);
  ExpectNothingStored(user_, {}, 0);

  const std::string longest = Repeat("抖", 99) + "音";
  ExpectAccepted(PublishTitled(longest));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  EXPECT_EQ(JsonString(videos[0], "title"), longest);
}

TEST_F(PublishTest, TitleIsStoredTrimmed) {
  ExpectAccepted(PublishTitled("   hello reel  "));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  EXPECT_EQ(JsonString(videos[0], "title"), "hello reel");
}

// Dedup: the stored object is addressed by content, so a second upload of the same bytes, by
// anyone, points at the same object.
TEST_F(PublishTest, SameFileTwiceIsStoredOnce) {
  const DouyinSession other = RegisterDouyin(Client(), "copycat", "password");
  ASSERT_GT(other.user_id, 0);
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "original"));
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "again"));
  ASSERT_TRUE(PublishOk(other, MediaKind::kFaststartMp4, "copy"));

  const rapidjson::Document mine = Videos(user_.user_id, user_);
  const rapidjson::Document theirs = Videos(other.user_id, other);
  ASSERT_EQ(mine.Size(), 2u);
  ASSERT_EQ(theirs.Size(), 1u);
  const std::string play_url = JsonString(mine[0], "play_url").value_or("");
  EXPECT_FALSE(play_url.empty());
  EXPECT_EQ(JsonString(mine[1], "play_url"), play_url);
  EXPECT_EQ(JsonString(theirs[0], "play_url"), play_url);
  EXPECT_NE(JsonInt(mine[0], "id"), JsonInt(mine[1], "id"));
  EXPECT_EQ(CountFilesEndingIn(MediaDir(), ".mp4"), 1u);
}

// ---- Files that are not videos ------------------------------------------------------------

enum class NotAVideo { kPng, kText, kEmpty, kAudioOnly, kTruncated, kRandomBytes };

std::string NotAVideoName(NotAVideo kind) {
  switch (kind) {
    case NotAVideo::kPng:
      return "PngRenamedMp4";
    case NotAVideo::kText:
      return "TextFile";
    case NotAVideo::kEmpty:
      return "ZeroBytes";
    case NotAVideo::kAudioOnly:
      return "AudioOnlyM4a";
    case NotAVideo::kTruncated:
      return "TruncatedMp4";
    case NotAVideo::kRandomBytes:
      return "RandomBytes";
  }
  return "Unknown";
}

void PrintTo(NotAVideo kind, std::ostream* out) {
  *out << NotAVideoName(kind);
}

class NotAVideoTest : public PublishTest, public ::testing::WithParamInterface<NotAVideo> {
 protected:
  fs::path File() {
    switch (GetParam()) {
      case NotAVideo::kPng:
        return Media().Get(MediaKind::kPngImage);
      case NotAVideo::kText:
        return Media().Get(MediaKind::kTextFile);
      case NotAVideo::kEmpty:
        return Media().Get(MediaKind::kEmptyFile);
      case NotAVideo::kAudioOnly:
        return Media().Get(MediaKind::kAudioOnlyM4a);
      case NotAVideo::kTruncated:
        return Media().Get(MediaKind::kTruncatedMp4);
      case NotAVideo::kRandomBytes: {
        const fs::path path = scratch_.Path() / "random.mp4";
        WriteRandomFile(path, 64 * 1024);
        return path;
      }
    }
    return {};
  }

  TempDir scratch_;
};

// Each file is sent as "clip.mp4" with type video/mp4: the server must look at the bytes.
TEST_P(NotAVideoTest, IsRefusedWithAReasonAndStoresNothing) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "a real one first"));
  const std::vector<fs::path> media_before = FilesUnder(MediaDir());

  const HttpResponse response =
      Publish({.file = File(), .title = "not a video", .token = user_.token});
  ExpectRefused(response, 400);
  const std::string message = AsciiLower(JsonString(response.Json(), "status_msg").value_or(""));
  if (GetParam() == NotAVideo::kEmpty) {
    EXPECT_NE(message.find("empty"), std::string::npos) << message;
  }
  if (GetParam() == NotAVideo::kAudioOnly) {
    EXPECT_NE(message.find("video"), std::string::npos) << message;
  }
  ExpectNothingStored(user_, media_before, 1);
  EXPECT_EQ(WorkCount(user_.user_id), 1);
}

INSTANTIATE_TEST_SUITE_P(Publish, NotAVideoTest,
                         ::testing::Values(NotAVideo::kPng, NotAVideo::kText, NotAVideo::kEmpty,
                                           NotAVideo::kAudioOnly, NotAVideo::kTruncated,
                                           NotAVideo::kRandomBytes),
                         [](const ::testing::TestParamInfo<NotAVideo>& param_info) {
                           return NotAVideoName(param_info.param);
                         });

// ---- Size limit ----------------------------------------------------------------------------

constexpr std::uintmax_t kSmallLimit = 1024 * 1024;

class PublishLimitTest : public PublishTest {
 protected:
  ServerOptions Options() const override {
    return {.env = {{"REEL_MEDIA_MAX_UPLOAD_BYTES", std::to_string(kSmallLimit)}}};
  }

  // Uploads `size` random bytes; the server must refuse with 413, or (refusing on
  // Content-Length alone) close the connection before the answer could be read.
  void ExpectTooLarge(std::uintmax_t size) {
    const fs::path path = scratch_.Path() / "oversize.mp4";
    WriteRandomFile(path, size);
    const HttpResponse response = Publish({.file = path, .title = "too big", .token = user_.token});
    if (response.status == 0) {
      EXPECT_FALSE(response.error.empty());
      std::cout << "[ note ] " << size << "-byte upload: transport error (" << response.error
                << ")\n";
    } else {
      ExpectRefused(response, 413);
    }
  }

  TempDir scratch_;
};

TEST_F(PublishLimitTest, UploadOverTheLimitIs413AndLeavesNothing) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "small enough"));
  const std::vector<fs::path> media_before = FilesUnder(MediaDir());

  ExpectTooLarge(kSmallLimit + kSmallLimit / 2);
  ExpectNothingStored(user_, media_before, 1);

  ExpectTooLarge(kSmallLimit + 1);
  ExpectNothingStored(user_, media_before, 1);

  // The server is still healthy and still takes uploads under the limit.
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "still works"));
  EXPECT_EQ(WorkCount(user_.user_id), 2);
}

}  // namespace
}  // namespace reel::e2e
