// `reel all` with media.store s3: publish puts the video and cover into a real s3rver (none
// in the local media dir), /media serves them with Range, and with the S3 server killed
// publishing and uncached media answer 503 while nothing is recorded.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

std::string FirstLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

class S3MediaTest : public MediaServerTest {
 protected:
  void SetUp() override {
    if (ClusterMode()) GTEST_SKIP() << "one process on an S3 server of its own";
    s3_dir_ = std::make_unique<TempDir>();
    ASSERT_EQ(Engines("start"), 0) << "scripts/engines s3 start failed";
    MediaServerTest::SetUp();
    if (HasFatalFailure()) return;
    user_ = RegisterDouyin(Client(), "uploader", "password");
    ASSERT_GT(user_.user_id, 0);
  }
  void TearDown() override {
    if (s3_dir_) Engines("stop");
  }

  ServerOptions Options() const override {
    const fs::path dir = S3Dir();
    return {.env = {{"REEL_MEDIA_STORE", "s3"},
                    {"REEL_MEDIA_S3_ENDPOINT", "http://127.0.0.1:" + FirstLine(dir / "port")},
                    {"REEL_MEDIA_S3_BUCKET", FirstLine(dir / "bucket")},
                    {"REEL_MEDIA_S3_CREDENTIALS_FILE", (dir / "credentials").string()},
                    {"REEL_MEDIA_S3_CONNECT_TIMEOUT", "1s"}}};
  }

  fs::path S3Dir() const { return s3_dir_->Path() / "s3"; }
  // Where s3rver keeps the bytes of `key` in the bucket.
  fs::path ObjectFile(const std::string& key) const {
    return S3Dir() / "data" / FirstLine(S3Dir() / "bucket") / (key + "._S3rver_object");
  }

  int Engines(const std::string& command) const {
    const std::string line = std::string(REEL_ENGINES_SCRIPT) + " s3 " + command + " '" +
                             S3Dir().string() + "' >/dev/null 2>&1";
    return std::system(line.c_str());
  }

  std::unique_ptr<TempDir> s3_dir_;
  DouyinSession user_;
};

TEST_F(S3MediaTest, PublishStoresInS3AndMediaIsServedFromIt) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "on s3"));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  const std::string play = UrlPath(JsonString(videos[0], "play_url").value_or(""));
  const std::string video_key = LastSegment(play);
  const std::string cover_key = LastSegment(JsonString(videos[0], "cover_url").value_or(""));
  EXPECT_EQ(CountFilesEndingIn(MediaDir(), ".mp4"), 0u) << "nothing in the local store";
  ASSERT_TRUE(fs::exists(ObjectFile(video_key))) << video_key;
  ASSERT_TRUE(fs::exists(ObjectFile(cover_key))) << cover_key;

  const HttpResponse whole = Client().Get(play);
  EXPECT_EQ(whole.status, 200) << whole.Describe();
  EXPECT_TRUE(whole.body == ReadBytes(ObjectFile(video_key)));
  const HttpResponse part = Client().Get(play, {{"Range", "bytes=10-29"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_TRUE(part.body == whole.body.substr(10, 20));
}

TEST_F(S3MediaTest, WithTheS3ServerDownPublishAndUncachedMediaAre503AndNothingIsRecorded) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "before"));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  const std::string cover = UrlPath(JsonString(videos[0], "cover_url").value_or(""));
  ASSERT_EQ(Engines("kill"), 0);

  const HttpResponse refused = Publish(
      {.file = Media().Get(MediaKind::kMoovAtEndMp4), .title = "during", .token = user_.token});
  EXPECT_EQ(refused.status, 200) << refused.Describe();
  EXPECT_EQ(DouyinStatusCode(refused), 503) << refused.Describe();
  EXPECT_EQ(Videos(user_.user_id, user_).Size(), 1u) << "no row for a video not stored";
  EXPECT_TRUE(FilesUnder(TmpDir()).empty()) << "the spooled upload is removed";
  const HttpResponse media = Client().Get(cover);
  EXPECT_EQ(media.status, 503) << media.Describe();
  EXPECT_EQ(JsonString(media.Json(), "reason"), "BLOB_STORE_UNAVAILABLE") << media.Describe();

  ASSERT_EQ(Engines("start"), 0);
  EXPECT_TRUE(PublishOk(user_, MediaKind::kMoovAtEndMp4, "after"));
  EXPECT_EQ(Client().Get(cover).status, 200);
}

}  // namespace
}  // namespace reel::e2e
