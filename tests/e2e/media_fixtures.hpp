// Media for the publish, feed and playback end-to-end tests: small files made with the ffmpeg
// CLI, parsers for what the server sends back (MP4 box order, JPEG size), and a fixture that
// publishes through the Douyin API and inspects the server's data dir.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"

namespace reel::e2e {

/// The kinds of file MediaFixtures can make.
enum class MediaKind {
  kFaststartMp4,  ///< H.264/AAC, 320x240, 2 s, moov before mdat
  kMoovAtEndMp4,  ///< the same content with ffmpeg's default layout: moov after mdat
  kWebm,          ///< VP8, 320x240, 2 s
  kHdMp4,         ///< H.264, 1280x720, 2 s, faststart
  kAudioOnlyM4a,  ///< AAC in an MP4 container with no video track
  kPngImage,      ///< a single PNG frame (tests upload it as clip.mp4)
  kTextFile,      ///< plain text
  kEmptyFile,     ///< zero bytes
  kTruncatedMp4,  ///< the first 30% of kMoovAtEndMp4: ftyp and part of mdat, no moov
};

/// Makes each kind of file on first request, in a temp dir removed with the object.
/// Thread-safe. Throws std::runtime_error, with ffmpeg's own message, when a file cannot be
/// made (gtest reports the exception as a failure of the test that asked).
class MediaFixtures {
 public:
  MediaFixtures();
  MediaFixtures(const MediaFixtures&) = delete;
  MediaFixtures& operator=(const MediaFixtures&) = delete;

  const std::filesystem::path& Get(MediaKind kind);
  const std::filesystem::path& Dir() const { return dir_.Path(); }

 private:
  std::filesystem::path Make(MediaKind kind);

  TempDir dir_;
  std::mutex mutex_;
  std::map<MediaKind, std::filesystem::path> made_;
};

/// Writes `size` pseudo-random bytes to `path` in 64 KiB chunks; throws std::runtime_error when
/// the file cannot be written.
void WriteRandomFile(const std::filesystem::path& path, std::uintmax_t size);
/// Whole file; "" when it cannot be read.
std::string ReadBytes(const std::filesystem::path& path);
/// Regular files (not symlinks) below `dir`, recursively; empty when `dir` does not exist. In
/// s3rver's store, each object's file only (not its metadata and checksum files).
std::vector<std::filesystem::path> FilesUnder(const std::filesystem::path& dir);
/// The media key a file under MediaDir() holds: its name, without s3rver's suffix.
std::string MediaKeyOf(const std::filesystem::path& file);
/// How many media files below `dir` have a key ending in `suffix`.
std::size_t CountFilesEndingIn(const std::filesystem::path& dir, std::string_view suffix);

/// Types of the top-level ISO-BMFF boxes ("ftyp", "moov", "mdat", ...) in order. A box whose
/// size runs past the end, or is impossible, ends the list with "!bad".
std::vector<std::string> TopLevelBoxes(std::string_view bytes);
/// Index of `type` in `boxes`, or nullopt.
std::optional<std::size_t> BoxIndex(const std::vector<std::string>& boxes, std::string_view type);

struct ImageSize {
  int width = 0;
  int height = 0;
};
/// Width and height from the first SOFn marker of a JPEG; nullopt when there is none.
std::optional<ImageSize> JpegSize(std::string_view bytes);

/// The path part of an absolute http URL ("http://h:p/media/x.mp4" -> "/media/x.mp4"); "" when
/// `url` is not of that form.
std::string UrlPath(std::string_view url);
/// Last path segment of a URL or path.
std::string LastSegment(std::string_view url);
/// `text` in lower case (ASCII only).
std::string AsciiLower(std::string_view text);

/// One upload through POST /douyin/publish/action/.
struct Upload {
  std::filesystem::path file{};
  std::string title = "a clip";
  std::optional<std::string> token{};  ///< as a form field; nullopt sends none
  std::string filename = "clip.mp4";
  std::string content_type = "video/mp4";
  Pairs extra_fields{};  ///< more text fields (sent before the file)
  Pairs headers{};
  std::string query_token{};  ///< when set, sent as ?token=
  bool send_title = true;
  bool send_file = true;
};

/// A test with its own server and shared media fixtures (made once per test suite, removed
/// after it), plus the Douyin publish calls and data-dir inspection every media test needs.
class MediaServerTest : public ServerTest {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  static MediaFixtures& Media();

  HttpResponse Publish(HttpClient& client, const Upload& upload);
  HttpResponse Publish(const Upload& upload) { return Publish(Client(), upload); }
  /// Uploads `kind` as `session` and expects success (adds a failure otherwise).
  bool PublishOk(const DouyinSession& session, MediaKind kind, std::string title = "a clip");

  /// GET /douyin/publish/list/ for `user_id` as `session`.
  HttpResponse PublishList(std::int64_t user_id, const DouyinSession& session);
  /// The videos of `user_id` (a copy of video_list); adds a failure when the list is refused.
  rapidjson::Document Videos(std::int64_t user_id, const DouyinSession& session);
  /// user.work_count from GET /douyin/user/; nullopt (and a failure) when refused.
  std::optional<std::int64_t> WorkCount(std::int64_t user_id);

  std::filesystem::path MediaDir() { return Server().MediaDir(); }
  std::filesystem::path TmpDir() { return Server().DataDir() / "tmp"; }
  /// "http://127.0.0.1:PORT/media/".
  std::string MediaUrlPrefix();

  /// Checks a Douyin video object: id, title, full author object with `author_id`, absolute
  /// play and cover URLs on this server, no interactions yet.
  void ExpectVideoObject(const rapidjson::Value& video, std::int64_t author_id);

  /// Checks that a refused upload changed nothing: the user still has `videos_before` videos,
  /// the media dir holds exactly `media_before`, and the tmp dir empties within a second.
  void ExpectNothingStored(const DouyinSession& session,
                           const std::vector<std::filesystem::path>& media_before,
                           std::size_t videos_before);

 private:
  static std::unique_ptr<MediaFixtures> media_;
};

}  // namespace reel::e2e
