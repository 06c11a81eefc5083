// Media playback end to end: the play and cover URLs of a published video serve the stored
// bytes with range, caching and validator support, and nothing outside the store is reachable.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {
namespace {

namespace fs = std::filesystem;

// A published video as the server stored it.
struct Stored {
  std::string play_path{};   ///< path part of play_url
  std::string cover_path{};  ///< path part of cover_url
  std::string key{};         ///< last segment of play_url: "<64 hex>.<ext>"
  fs::path object{};         ///< the file under <data-dir>/media holding it
  std::string bytes{};       ///< its content
};

std::string ContentRange(std::uint64_t first, std::uint64_t last, std::uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size);
}

// The same key shape (and fan-out prefix) with every other hex digit changed.
std::string OtherKey(std::string_view key) {
  std::string other(key);
  for (std::size_t i = 2; i < 64 && i < other.size(); ++i) other[i] = other[i] == '0' ? '1' : '0';
  return other;
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  if (const std::size_t at = text.find(from); at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class PlaybackTest : public MediaServerTest {
 protected:
  void SetUp() override {
    MediaServerTest::SetUp();
    if (HasFatalFailure()) return;
    user_ = RegisterDouyin(Client(), "viewer", "password");
    ASSERT_GT(user_.user_id, 0);
  }

  // Publishes `kind` and finds what was stored; failures are added to the test.
  Stored PublishAndFind(MediaKind kind, std::string filename = "clip.mp4",
                        std::string content_type = "video/mp4") {
    Stored stored;
    const HttpResponse response = Publish({.file = Media().Get(kind),
                                           .title = "playback",
                                           .token = user_.token,
                                           .filename = std::move(filename),
                                           .content_type = std::move(content_type)});
    if (DouyinStatusCode(response) != 0) {
      ADD_FAILURE() << "upload refused: " << response.Describe();
      return stored;
    }
    const rapidjson::Document videos = Videos(user_.user_id, user_);
    if (videos.Empty()) {
      ADD_FAILURE() << "the publish list is empty after an upload";
      return stored;
    }
    // Each test publishes once before calling this, so the list has exactly this video.
    const std::string play_url = JsonString(videos[0], "play_url").value_or("");
    stored.play_path = UrlPath(play_url);
    stored.cover_path = UrlPath(JsonString(videos[0], "cover_url").value_or(""));
    stored.key = LastSegment(play_url);
    for (const fs::path& file : FilesUnder(MediaDir())) {
      if (MediaKeyOf(file) == stored.key) stored.object = file;
    }
    EXPECT_FALSE(stored.object.empty())
        << "no file named " << stored.key << " under " << MediaDir();
    stored.bytes = ReadBytes(stored.object);
    EXPECT_FALSE(stored.bytes.empty());
    return stored;
  }

  HttpResponse GetRange(const std::string& path, std::string_view range) {
    return Client().Get(path, {{"Range", "bytes=" + std::string(range)}});
  }

  void ExpectPartial(const Stored& stored, std::string_view range, std::uint64_t first,
                     std::uint64_t last) {
    SCOPED_TRACE("Range: bytes=" + std::string(range));
    const HttpResponse response = GetRange(stored.play_path, range);
    EXPECT_EQ(response.status, 206) << response.Describe();
    EXPECT_EQ(response.Header("content-range"), ContentRange(first, last, stored.bytes.size()));
    EXPECT_TRUE(response.body == stored.bytes.substr(first, last - first + 1))
        << "got " << response.body.size() << " bytes, expected " << (last - first + 1);
  }

  DouyinSession user_;
};

TEST_F(PlaybackTest, WholeVideoIsServedWithCachingHeaders) {
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  ASSERT_FALSE(stored.bytes.empty());
  const HttpResponse response = Client().Get(stored.play_path);
  EXPECT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("content-type"), "video/mp4");
  EXPECT_EQ(response.Header("accept-ranges"), "bytes");
  EXPECT_FALSE(response.Header("etag").empty());
  EXPECT_NE(response.Header("cache-control").find("max-age"), std::string::npos)
      << "Cache-Control: " << response.Header("cache-control");
  EXPECT_EQ(response.Header("content-length"), std::to_string(stored.bytes.size()));
  EXPECT_TRUE(response.body == stored.bytes)
      << "got " << response.body.size() << " bytes, stored " << stored.bytes.size();
}

TEST_F(PlaybackTest, RangesReturnExactlyTheRequestedBytes) {
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  const std::uint64_t size = stored.bytes.size();
  ASSERT_GT(size, 20000u);
  ExpectPartial(stored, "0-99", 0, 99);
  ExpectPartial(stored, "100-", 100, size - 1);
  ExpectPartial(stored, "-50", size - 50, size - 1);
  // A player seeking back and forth over one connection.
  const std::pair<std::uint64_t, std::uint64_t> seeks[] = {
      {size / 2, size / 2 + 4095}, {17, 17}, {size - 1, size - 1},
      {size / 3, size / 3 + 999},  {0, 0},   {size / 5, size - 1},
      {size - 4096, size - 2}};
  for (const auto& [first, last] : seeks) {
    ExpectPartial(stored, std::to_string(first) + "-" + std::to_string(last), first, last);
  }
}

TEST_F(PlaybackTest, RangeStartingAtTheEndIsUnsatisfiable) {
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  ASSERT_FALSE(stored.bytes.empty());
  const std::string size = std::to_string(stored.bytes.size());
  const HttpResponse response = GetRange(stored.play_path, size + "-");
  EXPECT_EQ(response.status, 416) << response.Describe();
  EXPECT_EQ(response.Header("content-range"), "bytes */" + size);
}

TEST_F(PlaybackTest, MatchingEtagGivesNotModified) {
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  const std::string etag = Client().Get(stored.play_path).Header("etag");
  ASSERT_FALSE(etag.empty());
  const HttpResponse response = Client().Get(stored.play_path, {{"If-None-Match", etag}});
  EXPECT_EQ(response.status, 304) << response.Describe();
  EXPECT_TRUE(response.body.empty());
}

TEST_F(PlaybackTest, WebmIsServedAsVideoWebm) {
  const Stored stored = PublishAndFind(MediaKind::kWebm, "clip.webm", "video/webm");
  ASSERT_FALSE(stored.bytes.empty());
  const HttpResponse response = Client().Get(stored.play_path);
  EXPECT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("content-type"), "video/webm");
  EXPECT_TRUE(response.body == stored.bytes);
}

// ---- Covers ------------------------------------------------------------------------------

class PlaybackCoverTest : public PlaybackTest {
 protected:
  void ExpectCover(MediaKind kind, int width, int height) {
    const Stored stored = PublishAndFind(kind);
    const HttpResponse response = Client().Get(stored.cover_path);
    ASSERT_EQ(response.status, 200) << response.Describe();
    EXPECT_EQ(response.Header("content-type"), "image/jpeg");
    const std::string_view body = response.body;
    ASSERT_GE(body.size(), 4u);
    EXPECT_EQ(body.substr(0, 2), "\xFF\xD8");
    EXPECT_EQ(body.substr(body.size() - 2), "\xFF\xD9");
    const std::optional<ImageSize> size = JpegSize(body);
    ASSERT_TRUE(size.has_value()) << "no SOF marker in the cover";
    EXPECT_EQ(size->width, width);
    // Scaled, not stretched: the height follows the aspect ratio (to an even number or so).
    EXPECT_NEAR(size->height, height, 1);
  }
};

TEST_F(PlaybackCoverTest, HdVideoGetsA720WideJpegCover) {
  ExpectCover(MediaKind::kHdMp4, 720, 405);
}

TEST_F(PlaybackCoverTest, SmallVideoKeepsItsWidthInTheCover) {
  ExpectCover(MediaKind::kFaststartMp4, 320, 240);
}

// ---- Faststart -----------------------------------------------------------------------------

TEST_F(PlaybackTest, MoovAtEndUploadIsServedWithMoovFirst) {
  const std::vector<std::string> original =
      TopLevelBoxes(ReadBytes(Media().Get(MediaKind::kMoovAtEndMp4)));
  ASSERT_GT(BoxIndex(original, "moov"), BoxIndex(original, "mdat")) << "bad fixture";

  const Stored stored = PublishAndFind(MediaKind::kMoovAtEndMp4);
  const HttpResponse response = Client().Get(stored.play_path);
  ASSERT_EQ(response.status, 200) << response.Describe();
  const std::vector<std::string> boxes = TopLevelBoxes(response.body);
  std::string listing;
  for (const std::string& box : boxes) listing += box + " ";
  SCOPED_TRACE("top-level boxes: " + listing);
  EXPECT_EQ(BoxIndex(boxes, "!bad"), std::nullopt);
  EXPECT_EQ(BoxIndex(boxes, "ftyp"), 0u);
  const std::optional<std::size_t> moov = BoxIndex(boxes, "moov");
  const std::optional<std::size_t> mdat = BoxIndex(boxes, "mdat");
  ASSERT_TRUE(moov.has_value());
  ASSERT_TRUE(mdat.has_value());
  EXPECT_LT(*moov, *mdat);
}

// ---- What must never be served -------------------------------------------------------------

void ExpectNotServed(const HttpResponse& response, std::string_view path) {
  EXPECT_EQ(response.status, 404) << path << ": " << response.Describe();
  EXPECT_FALSE(response.body.starts_with("SQLite format 3")) << path;
  EXPECT_EQ(response.body.find("root:"), std::string::npos) << path;
}

TEST_F(PlaybackTest, UnknownKeyIsNotFound) {
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  ASSERT_FALSE(stored.key.empty());
  const std::string path = Replace(stored.play_path, stored.key, OtherKey(stored.key));
  ExpectNotServed(Client().Get(path), path);
  const std::string zeros = "/media/" + std::string(64, '0') + ".mp4";
  ExpectNotServed(Client().Get(zeros), zeros);
}

TEST_F(PlaybackTest, PathTraversalIsNeverServed) {
  ASSERT_TRUE(PublishOk(user_, MediaKind::kFaststartMp4));
  for (const std::string_view path : {"/media/../reel.db", "/media/%2e%2e%2freel.db",
                                      "/media/abc.mp4", "/media/..%2F..%2Fetc%2Fpasswd"}) {
    ExpectNotServed(Client().Get(path), path);
  }
  // Variations beyond the contract's list: whatever the answer, it is not a success.
  for (const std::string_view path :
       {"/media/%2E%2E/reel.db", "/media/.%2e/reel.db", "/media/../../../../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd"}) {
    const HttpResponse response = Client().Get(path);
    EXPECT_TRUE(response.status >= 400 && response.status < 500)
        << path << ": " << response.Describe();
    EXPECT_FALSE(response.body.starts_with("SQLite format 3")) << path;
    EXPECT_EQ(response.body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(PlaybackTest, SymlinkPlantedUnderAValidKeyIsNotServed) {
  if (Server().MediaInS3()) GTEST_SKIP() << "the local media directory's layout: media are in S3";
  const Stored stored = PublishAndFind(MediaKind::kFaststartMp4);
  ASSERT_GE(stored.key.size(), 64u);
  const fs::path fan_out = MediaDir() / stored.key.substr(0, 2);
  // The planted link only means something if objects really live at media/<ab>/<key>.
  ASSERT_EQ(stored.object, fan_out / stored.key) << "objects are not laid out as media/<ab>/<key>";

  const std::string planted_key = OtherKey(stored.key);
  std::error_code ec;
  fs::create_symlink(Server().DataDir() / "reel.db", fan_out / planted_key, ec);
  ASSERT_FALSE(ec) << ec.message();
  const std::string path = Replace(stored.play_path, stored.key, planted_key);
  ExpectNotServed(Client().Get(path), path);
  // And not through a range request either.
  ExpectNotServed(GetRange(path, "0-15"), path + " (range)");
}

}  // namespace
}  // namespace reel::e2e
