// `reel all` with media.store s3 against a real s3rver: publish puts the video and cover
// there (none in the local media dir); /media streams them from ranged S3 reads (206, 416,
// ETag/304, HEAD, no whole download); play_url/cover_url may be presigned or public S3 URLs;
// with the S3 server killed, even in the middle of a multipart upload, publishing and media
// answer 503 and nothing is recorded, and reel recovers without a restart; deleting and
// expiring remove the objects from the bucket.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "api_helpers.hpp"
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
    ServerOptions options{
        .env = {{"REEL_MEDIA_STORE", "s3"},
                {"REEL_MEDIA_S3_ENDPOINT", Endpoint()},
                {"REEL_MEDIA_S3_BUCKET", FirstLine(dir / "bucket")},
                {"REEL_MEDIA_S3_CREDENTIALS_FILE", (dir / "credentials").string()},
                {"REEL_MEDIA_S3_CONNECT_TIMEOUT", "1s"}}};
    for (const auto& [name, value] : extra_env_) options.env[name] = value;
    return options;
  }

  fs::path S3Dir() const { return s3_dir_->Path() / "s3"; }
  std::string Endpoint() const { return "http://127.0.0.1:" + FirstLine(S3Dir() / "port"); }
  fs::path BucketDir() const { return S3Dir() / "data" / FirstLine(S3Dir() / "bucket"); }
  // Where s3rver keeps the bytes of `key` in the bucket.
  fs::path ObjectFile(const std::string& key) const {
    return S3Dir() / "data" / FirstLine(S3Dir() / "bucket") / (key + "._S3rver_object");
  }

  int Engines(const std::string& command) const {
    const std::string line = std::string(REEL_ENGINES_SCRIPT) + " s3 " + command + " '" +
                             S3Dir().string() + "' >/dev/null 2>&1";
    return std::system(line.c_str());
  }

  // The first video of the user: its id and the keys of its video and cover.
  struct Published {
    std::int64_t id = 0;
    std::string play_path, video_key, cover_key;
  };
  Published OnlyVideo() {
    const rapidjson::Document videos = Videos(user_.user_id, user_);
    if (videos.Size() != 1) {
      ADD_FAILURE() << "expected one video, got " << videos.Size();
      return {};
    }
    Published p;
    p.id = JsonInt(videos[0], "id").value_or(0);
    p.play_path = UrlPath(JsonString(videos[0], "play_url").value_or(""));
    p.video_key = LastSegment(JsonString(videos[0], "play_url").value_or(""));
    p.cover_key = LastSegment(JsonString(videos[0], "cover_url").value_or(""));
    return p;
  }

  std::map<std::string, std::string> extra_env_;  // set by a subclass's constructor
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

TEST_F(S3MediaTest, RangesAreReadStraightFromS3) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kHdMp4, "ranges"));
  const Published video = OnlyVideo();
  const std::string bytes = ReadBytes(ObjectFile(video.video_key));
  ASSERT_GT(bytes.size(), 1000u);
  const std::string size = std::to_string(bytes.size());

  const HttpResponse head = Client().Request("HEAD", video.play_path);
  EXPECT_EQ(head.status, 200) << head.Describe();
  EXPECT_EQ(head.Header("content-length"), size);
  EXPECT_EQ(head.Header("content-type"), "video/mp4");
  EXPECT_TRUE(head.body.empty());

  const HttpResponse middle = Client().Get(video.play_path, {{"Range", "bytes=100-1099"}});
  EXPECT_EQ(middle.status, 206) << middle.Describe();
  EXPECT_EQ(middle.Header("content-range"), "bytes 100-1099/" + size);
  EXPECT_TRUE(middle.body == bytes.substr(100, 1000));
  const HttpResponse open_ended = Client().Get(video.play_path, {{"Range", "bytes=500-"}});
  EXPECT_EQ(open_ended.status, 206);
  EXPECT_TRUE(open_ended.body == bytes.substr(500));
  const HttpResponse suffix = Client().Get(video.play_path, {{"Range", "bytes=-10"}});
  EXPECT_EQ(suffix.status, 206);
  EXPECT_TRUE(suffix.body == bytes.substr(bytes.size() - 10));
  const HttpResponse first_byte = Client().Get(video.play_path, {{"Range", "bytes=0-0"}});
  EXPECT_EQ(first_byte.status, 206);
  EXPECT_TRUE(first_byte.body == bytes.substr(0, 1)) << "s3rver sends more: cut to the range";

  const HttpResponse past = Client().Get(video.play_path, {{"Range", "bytes=" + size + "-"}});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.Header("content-range"), "bytes */" + size);

  const HttpResponse whole = Client().Get(video.play_path);
  EXPECT_EQ(whole.status, 200);
  EXPECT_TRUE(whole.body == bytes);
  const std::string etag = whole.Header("etag");
  EXPECT_EQ(etag, "\"" + video.video_key + "\"");
  EXPECT_FALSE(whole.Header("last-modified").empty());
  EXPECT_EQ(whole.Header("cache-control"), "public, max-age=31536000, immutable");
  const HttpResponse again = Client().Get(video.play_path, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());

  EXPECT_TRUE(FilesUnder(Server().DataDir() / "media-cache").empty())
      << "/media relays ranged reads: nothing is downloaded whole";
  EXPECT_EQ(Client().Get("/media/" + std::string(64, 'e') + ".mp4").status, 404);
}

// A bucket that is gone (deleted, misnamed) makes the store unusable: 503, not 404.
class S3MediaMissingBucketTest : public S3MediaTest {
 protected:
  S3MediaMissingBucketTest() { extra_env_ = {{"REEL_MEDIA_S3_BUCKET", "no-such-bucket"}}; }
};

TEST_F(S3MediaMissingBucketTest, MediaAndPublishAre503) {
  const HttpResponse media = Client().Get("/media/" + std::string(64, 'e') + ".mp4");
  EXPECT_EQ(media.status, 503) << media.Describe();
  EXPECT_EQ(JsonString(media.Json(), "reason"), "BLOB_STORE_UNAVAILABLE") << media.Describe();
  const HttpResponse refused = Publish(
      {.file = Media().Get(MediaKind::kFaststartMp4), .title = "nowhere", .token = user_.token});
  EXPECT_EQ(DouyinStatusCode(refused), 503) << refused.Describe();
  EXPECT_EQ(Videos(user_.user_id, user_).Size(), 0u);
}

// A big upload goes up in parts; the S3 server is killed while they travel. The client gets
// a clear 503, no row is written, no object appears, the cover stored before the video is
// deleted by the media sweep once S3 is back, and the same reel publishes again.
class S3MediaMidUploadTest : public S3MediaTest {
 protected:
  S3MediaMidUploadTest() {
    extra_env_ = {{"REEL_MEDIA_S3_MULTIPART_THRESHOLD", std::to_string(5 << 20)},
                  {"REEL_MEDIA_S3_PART_SIZE", std::to_string(5 << 20)},
                  {"REEL_MEDIA_SWEEP_INTERVAL", "200ms"}};
  }

  // A valid MP4 of about `padding` bytes: the small faststart clip and a `free` box, which
  // players and the probe skip and the faststart check leaves in place.
  fs::path BigVideo(std::uint32_t padding) {
    const fs::path path = s3_dir_->Path() / "big.mp4";
    std::ofstream out(path, std::ios::binary);
    out << ReadBytes(Media().Get(MediaKind::kFaststartMp4));
    const std::uint32_t box = padding + 8;
    const char header[8] = {static_cast<char>(box >> 24),
                            static_cast<char>(box >> 16),
                            static_cast<char>(box >> 8),
                            static_cast<char>(box),
                            'f',
                            'r',
                            'e',
                            'e'};
    out.write(header, sizeof header);
    std::mt19937 random(7);
    std::string chunk(1 << 16, '\0');
    for (std::uint32_t written = 0; written < padding; written += chunk.size()) {
      for (char& c : chunk) c = static_cast<char>(random());
      out.write(chunk.data(), std::min<std::uint32_t>(chunk.size(), padding - written));
    }
    return path;
  }

  std::size_t VideoObjects() const { return Objects(".mp4"); }
  std::size_t CoverObjects() const { return Objects(".jpg"); }
  std::size_t Objects(const std::string& extension) const {
    return fs::exists(BucketDir()) ? CountFilesEndingIn(BucketDir(), extension) : 0;
  }
};

TEST_F(S3MediaMidUploadTest, KillingS3DuringAMultipartUploadIs503AndLeavesNothing) {
  const fs::path big = BigVideo(80u << 20);  // 16 parts
  const std::size_t objects_before = VideoObjects();
  const std::size_t covers_before = CoverObjects();
  HttpResponse refused;
  std::thread uploader([&] {
    HttpClient client(Client().Port());
    client.SetTimeout(std::chrono::seconds(90));
    refused = Publish(client, {.file = big, .title = "cut off", .token = user_.token});
  });
  // Kill it as soon as the first part has arrived (s3rver logs each part's request).
  bool parts_seen = false;
  for (int waited = 0; waited < 60'000 && !parts_seen; waited += 2) {
    parts_seen = ReadBytes(S3Dir() / "s3rver.log").find(".mp4?partNumber=") != std::string::npos;
    if (!parts_seen) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (parts_seen) ::kill(std::stoi(FirstLine(S3Dir() / "s3rver.pid")), SIGKILL);
  uploader.join();
  ASSERT_TRUE(parts_seen) << "no multipart upload reached S3";
  ASSERT_EQ(Engines("kill"), 0);  // tidies the pid file

  EXPECT_EQ(refused.status, 200) << refused.Describe();
  EXPECT_EQ(DouyinStatusCode(refused), 503) << refused.Describe();
  EXPECT_EQ(Videos(user_.user_id, user_).Size(), 0u) << "no row for a video not stored";
  EXPECT_TRUE(FilesUnder(TmpDir()).empty()) << "the spooled upload is removed";
  // The cover went up before the video; deleting it failed too, with S3 down.
  EXPECT_EQ(CoverObjects(), covers_before + 1) << "the cover is stored first";

  ASSERT_EQ(Engines("start"), 0);
  EXPECT_EQ(VideoObjects(), objects_before) << "no object, whole or partial, was made";
  // The media sweep (every 200 ms here) retries the failed deletion now that S3 is back.
  bool cover_gone = false;
  for (int waited = 0; waited < 100 && !cover_gone; ++waited) {
    cover_gone = CoverObjects() == covers_before;
    if (!cover_gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(cover_gone) << "the failed publish's cover is still in the bucket";
  // The same reel, not restarted, stores and serves again.
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "after"));
  const Published video = OnlyVideo();
  EXPECT_EQ(Client().Get(video.play_path).status, 200);
  EXPECT_EQ(VideoObjects(), objects_before + 1);
  EXPECT_EQ(CoverObjects(), covers_before + 1);
}

// Deleting a video and letting an unpublished upload expire remove their objects from S3.
class S3MediaLifecycleTest : public S3MediaTest {
 protected:
  S3MediaLifecycleTest() {
    extra_env_ = {{"REEL_MEDIA_PENDING_UPLOAD_TTL", "1s"}, {"REEL_MEDIA_SWEEP_INTERVAL", "200ms"}};
  }
};

TEST_F(S3MediaLifecycleTest, DeletedAndExpiredMediaLeaveTheBucket) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "to delete"));
  const Published video = OnlyVideo();
  ASSERT_TRUE(fs::exists(ObjectFile(video.video_key)));
  ASSERT_TRUE(fs::exists(ObjectFile(video.cover_key)));
  const HttpResponse deleted = Client().Request("DELETE", "/api/video/" + std::to_string(video.id),
                                                {}, {}, Bearer(user_.token));
  ASSERT_EQ(deleted.status, 200) << deleted.Describe();
  EXPECT_FALSE(fs::exists(ObjectFile(video.video_key)));
  EXPECT_FALSE(fs::exists(ObjectFile(video.cover_key)));
  EXPECT_EQ(Client().Get(video.play_path).status, 404);

  const HttpResponse upload = Client().PostMultipartFiles(
      "/api/video/upload", {},
      {{.field = "data", .path = Media().Get(MediaKind::kWebm), .content_type = "video/webm"}},
      Bearer(user_.token));
  ASSERT_EQ(upload.status, 200) << upload.Describe();
  const std::string key = JsonString(upload.Json(), "media.media_key").value_or("");
  const std::string cover = JsonString(upload.Json(), "media.cover_key").value_or("");
  ASSERT_TRUE(fs::exists(ObjectFile(key))) << key;
  bool gone = false;
  for (int waited = 0; waited < 100 && !gone; ++waited) {
    gone = !fs::exists(ObjectFile(key)) && !fs::exists(ObjectFile(cover));
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "the expired upload's objects are still in the bucket";
}

// media.s3.urls: presigned: players fetch from S3 itself, with no credentials.
class S3MediaPresignedTest : public S3MediaTest {
 protected:
  S3MediaPresignedTest() {
    extra_env_ = {{"REEL_MEDIA_S3_URLS", "presigned"}, {"REEL_MEDIA_S3_PRESIGN_EXPIRY", "1h"}};
  }
};

TEST_F(S3MediaPresignedTest, PlayAndCoverUrlsArePresignedS3Urls) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "presigned"));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  const std::string bucket = FirstLine(S3Dir() / "bucket");
  HttpClient s3(std::stoi(FirstLine(S3Dir() / "port")));
  for (const char* field : {"play_url", "cover_url"}) {
    const std::string url = JsonString(videos[0], field).value_or("");
    const std::string prefix = Endpoint() + "/" + bucket + "/";
    ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
    EXPECT_NE(url.find("X-Amz-Expires=3600"), std::string::npos) << url;
    const std::string key = url.substr(prefix.size(), url.find('?') - prefix.size());
    const HttpResponse fetched = s3.Get(url.substr(Endpoint().size()));
    EXPECT_EQ(fetched.status, 200) << fetched.Describe();
    EXPECT_TRUE(fetched.body == ReadBytes(ObjectFile(key))) << field;
  }
  // The same URL for the next reader (browsers and CDNs cache by URL).
  EXPECT_EQ(JsonString(Videos(user_.user_id, user_)[0], "play_url"),
            JsonString(videos[0], "play_url"));
}

// media.s3.urls: public: play_url is <public_url>/<key> (a public bucket, a CDN).
class S3MediaPublicUrlTest : public S3MediaTest {
 protected:
  S3MediaPublicUrlTest() {
    extra_env_ = {{"REEL_MEDIA_S3_URLS", "public"},
                  {"REEL_MEDIA_S3_PUBLIC_URL", "https://cdn.example.com/reel/"}};
  }
};

TEST_F(S3MediaPublicUrlTest, PlayAndCoverUrlsAreUnderThePublicUrl) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4, "public"));
  const rapidjson::Document videos = Videos(user_.user_id, user_);
  ASSERT_EQ(videos.Size(), 1u);
  const std::string play = JsonString(videos[0], "play_url").value_or("");
  const std::string cover = JsonString(videos[0], "cover_url").value_or("");
  EXPECT_EQ(play, "https://cdn.example.com/reel/" + LastSegment(play));
  EXPECT_EQ(cover, "https://cdn.example.com/reel/" + LastSegment(cover));
  EXPECT_TRUE(fs::exists(ObjectFile(LastSegment(play))));
  // /media still serves the object, for clients holding an older URL.
  EXPECT_EQ(Client().Get("/media/" + LastSegment(play)).status, 200);
}

}  // namespace
}  // namespace reel::e2e
