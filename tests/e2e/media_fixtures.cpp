#include "media_fixtures.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace reel::e2e {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

constexpr auto kFfmpegTimeout = std::chrono::seconds(60);
constexpr milliseconds kPoll{20};
constexpr milliseconds kTmpCleanupWait{2000};

// Sources shared by the clips: the lavfi test pattern and a sine tone, so nothing is read
// from the network or the disk and every run makes the same content.
std::vector<std::string> PatternInput(std::string_view size) {
  return {"-f", "lavfi", "-i", "testsrc2=size=" + std::string(size) + ":rate=25:duration=2"};
}
std::vector<std::string> ToneInput() {
  return {"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2"};
}
std::vector<std::string> H264() {
  return {"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"};
}

std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Runs `ffmpeg -nostdin -loglevel error -y <args...>` with its output in `log`; throws with
// that output when it fails or runs too long.
void RunFfmpeg(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> argv_strings = {"ffmpeg", "-nostdin", "-loglevel", "error", "-y"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int spawn_error = posix_spawnp(&pid, "ffmpeg", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw std::system_error(spawn_error, std::generic_category(), "cannot run ffmpeg");
  }

  const auto deadline = std::chrono::steady_clock::now() + kFfmpegTimeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      throw std::runtime_error("ffmpeg timed out: " + ReadBytes(log));
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command;
    for (const std::string& arg : argv_strings) command += arg + " ";
    throw std::runtime_error("ffmpeg failed: " + command + "\n" + ReadBytes(log));
  }
}

void WriteText(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::uint32_t Be32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

int Be16(std::string_view bytes, std::size_t at) {
  return (static_cast<unsigned char>(bytes[at]) << 8) | static_cast<unsigned char>(bytes[at + 1]);
}

}  // namespace

// ---- Fixture files -------------------------------------------------------------------------

MediaFixtures::MediaFixtures() = default;

const fs::path& MediaFixtures::Get(MediaKind kind) {
  const std::lock_guard lock(mutex_);
  if (const auto it = made_.find(kind); it != made_.end()) return it->second;
  fs::path path = Make(kind);
  return made_.emplace(kind, std::move(path)).first->second;
}

// Called with mutex_ held. A file named after its kind; other kinds it derives from are made
// directly (not through Get(), which would lock again).
fs::path MediaFixtures::Make(MediaKind kind) {
  const fs::path& dir = dir_.Path();
  const fs::path log = dir / "ffmpeg.log";
  switch (kind) {
    case MediaKind::kFaststartMp4: {
      const fs::path out = dir / "faststart.mp4";
      RunFfmpeg(Concat({PatternInput("320x240"),
                        ToneInput(),
                        H264(),
                        {"-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
                         out.string()}}),
                log);
      return out;
    }
    case MediaKind::kMoovAtEndMp4: {
      const fs::path out = dir / "moov_at_end.mp4";
      RunFfmpeg(Concat({PatternInput("320x240"),
                        ToneInput(),
                        H264(),
                        {"-c:a", "aac", "-b:a", "64k", "-shortest", out.string()}}),
                log);
      return out;
    }
    case MediaKind::kWebm: {
      const fs::path out = dir / "clip.webm";
      RunFfmpeg(Concat({PatternInput("320x240"),
                        {"-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v",
                         "300k", out.string()}}),
                log);
      return out;
    }
    case MediaKind::kHdMp4: {
      const fs::path out = dir / "hd.mp4";
      RunFfmpeg(
          Concat({PatternInput("1280x720"), H264(), {"-movflags", "+faststart", out.string()}}),
          log);
      return out;
    }
    case MediaKind::kAudioOnlyM4a: {
      const fs::path out = dir / "audio.m4a";
      RunFfmpeg(Concat({ToneInput(), {"-c:a", "aac", "-b:a", "64k", out.string()}}), log);
      return out;
    }
    case MediaKind::kPngImage: {
      const fs::path out = dir / "frame.png";
      RunFfmpeg(Concat({PatternInput("320x240"), {"-frames:v", "1", out.string()}}), log);
      return out;
    }
    case MediaKind::kTextFile: {
      const fs::path out = dir / "notes.txt";
      std::string text;
      for (int i = 0; i < 200; ++i)
        text += "This is a text file, not a video. Line " + std::to_string(i) + "\n";
      WriteText(out, text);
      return out;
    }
    case MediaKind::kEmptyFile: {
      const fs::path out = dir / "empty.mp4";
      WriteText(out, "");
      return out;
    }
    case MediaKind::kTruncatedMp4: {
      const fs::path whole =
          made_.contains(MediaKind::kMoovAtEndMp4)
              ? made_.at(MediaKind::kMoovAtEndMp4)
              : made_.emplace(MediaKind::kMoovAtEndMp4, Make(MediaKind::kMoovAtEndMp4))
                    .first->second;
      const std::string bytes = ReadBytes(whole);
      if (bytes.empty()) throw std::runtime_error("cannot read " + whole.string());
      const fs::path out = dir / "truncated.mp4";
      WriteText(out, std::string_view(bytes).substr(0, bytes.size() * 3 / 10));
      return out;
    }
  }
  throw std::logic_error("unknown MediaKind");
}

// ---- Files ---------------------------------------------------------------------------------

void WriteRandomFile(const fs::path& path, std::uintmax_t size) {
  constexpr std::size_t kChunk = 64 * 1024;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 random(std::random_device{}());
  std::string chunk(kChunk, '\0');
  for (std::uintmax_t written = 0; written < size && out;) {
    for (std::size_t i = 0; i + 8 <= kChunk; i += 8) {
      const std::uint64_t word = random();
      for (std::size_t b = 0; b < 8; ++b) chunk[i + b] = static_cast<char>(word >> (8 * b));
    }
    const auto n = static_cast<std::size_t>(std::min<std::uintmax_t>(kChunk, size - written));
    out.write(chunk.data(), static_cast<std::streamsize>(n));
    written += n;
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

namespace {
constexpr std::string_view kS3rverObject = "._S3rver_object";
}  // namespace

std::string MediaKeyOf(const fs::path& file) {
  std::string name = file.filename().string();
  if (name.ends_with(kS3rverObject)) name.resize(name.size() - kS3rverObject.size());
  return name;
}

std::vector<fs::path> FilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  // Bounded by what is on disk; errors (a file vanishing mid-walk) just end the walk.
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    // s3rver keeps an object's metadata and checksum beside it: the object is one file.
    const std::string name = it->path().filename().string();
    if (name.find("._S3rver_") != std::string::npos && !name.ends_with(kS3rverObject)) continue;
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::size_t CountFilesEndingIn(const fs::path& dir, std::string_view suffix) {
  const std::vector<fs::path> files = FilesUnder(dir);
  return static_cast<std::size_t>(std::count_if(files.begin(), files.end(), [&](const fs::path& f) {
    return MediaKeyOf(f).ends_with(suffix);
  }));
}

// ---- Parsers -------------------------------------------------------------------------------

std::vector<std::string> TopLevelBoxes(std::string_view bytes) {
  std::vector<std::string> boxes;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::size_t left = bytes.size() - offset;
    if (left < 8) {
      boxes.emplace_back("!bad");
      break;
    }
    std::uint64_t size = Be32(bytes, offset);
    std::uint64_t header = 8;
    if (size == 1) {
      if (left < 16) {
        boxes.emplace_back("!bad");
        break;
      }
      size = (std::uint64_t{Be32(bytes, offset + 8)} << 32) | Be32(bytes, offset + 12);
      header = 16;
    } else if (size == 0) {
      size = left;  // "extends to the end of the file"
    }
    if (size < header || size > left) {
      boxes.emplace_back("!bad");
      break;
    }
    boxes.emplace_back(bytes.substr(offset + 4, 4));
    offset += static_cast<std::size_t>(size);
  }
  return boxes;
}

std::optional<std::size_t> BoxIndex(const std::vector<std::string>& boxes, std::string_view type) {
  const auto it = std::find(boxes.begin(), boxes.end(), type);
  if (it == boxes.end()) return std::nullopt;
  return static_cast<std::size_t>(it - boxes.begin());
}

std::optional<ImageSize> JpegSize(std::string_view bytes) {
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(bytes[at]); };
  if (bytes.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  std::size_t at = 2;
  while (at + 4 <= bytes.size()) {
    if (byte(at) != 0xFF) return std::nullopt;
    while (at < bytes.size() && byte(at) == 0xFF) ++at;  // fill bytes
    if (at >= bytes.size()) return std::nullopt;
    const unsigned marker = byte(at++);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;           // SOFn always precedes SOS
    if (at + 2 > bytes.size()) return std::nullopt;
    const auto length = static_cast<std::size_t>(Be16(bytes, at));
    const bool is_sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (is_sof) {
      if (length < 7 || at + 7 > bytes.size()) return std::nullopt;
      return ImageSize{.width = Be16(bytes, at + 5), .height = Be16(bytes, at + 3)};
    }
    at += length;
  }
  return std::nullopt;
}

std::string UrlPath(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return {};
  const std::size_t slash = url.find('/', kScheme.size());
  return slash == std::string_view::npos ? std::string() : std::string(url.substr(slash));
}

std::string LastSegment(std::string_view url) {
  const std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// ---- Fixture ---------------------------------------------------------------------------------

std::unique_ptr<MediaFixtures> MediaServerTest::media_;

void MediaServerTest::SetUpTestSuite() {
  media_ = std::make_unique<MediaFixtures>();
}
void MediaServerTest::TearDownTestSuite() {
  media_.reset();
}
MediaFixtures& MediaServerTest::Media() {
  return *media_;
}

HttpResponse MediaServerTest::Publish(HttpClient& client, const Upload& upload) {
  Pairs fields;
  if (upload.token) fields.emplace_back("token", *upload.token);
  if (upload.send_title) fields.emplace_back("title", upload.title);
  fields.insert(fields.end(), upload.extra_fields.begin(), upload.extra_fields.end());
  std::vector<MultipartFile> files;
  if (upload.send_file) {
    files.push_back({.field = "data",
                     .path = upload.file,
                     .filename = upload.filename,
                     .content_type = upload.content_type});
  }
  std::string path = "/douyin/publish/action/";
  if (!upload.query_token.empty()) path = WithQuery(path, {{"token", upload.query_token}});
  return client.PostMultipartFiles(path, fields, files, upload.headers);
}

bool MediaServerTest::PublishOk(const DouyinSession& session, MediaKind kind, std::string title) {
  const HttpResponse response =
      Publish({.file = Media().Get(kind), .title = std::move(title), .token = session.token});
  const bool ok = response.status == 200 && DouyinStatusCode(response) == 0;
  EXPECT_TRUE(ok) << response.Describe();
  return ok;
}

HttpResponse MediaServerTest::PublishList(std::int64_t user_id, const DouyinSession& session) {
  return Client().Get(WithQuery("/douyin/publish/list/",
                                {{"user_id", std::to_string(user_id)}, {"token", session.token}}));
}

rapidjson::Document MediaServerTest::Videos(std::int64_t user_id, const DouyinSession& session) {
  const HttpResponse response = PublishList(user_id, session);
  const rapidjson::Document doc = response.Json();
  rapidjson::Document videos;
  videos.SetArray();
  if (response.status != 200 || DouyinStatusCode(response) != 0) {
    ADD_FAILURE() << "publish list of " << user_id << " refused: " << response.Describe();
    return videos;
  }
  const rapidjson::Value* list = JsonAt(doc, "video_list");
  // A server may write an empty list as null; anything else must be an array.
  if (list == nullptr || list->IsNull()) return videos;
  if (!list->IsArray()) {
    ADD_FAILURE() << "video_list is not an array: " << response.Describe();
    return videos;
  }
  videos.CopyFrom(*list, videos.GetAllocator());
  return videos;
}

std::optional<std::int64_t> MediaServerTest::WorkCount(std::int64_t user_id) {
  const HttpResponse response =
      Client().Get(WithQuery("/douyin/user/", {{"user_id", std::to_string(user_id)}}));
  const std::optional<std::int64_t> count = JsonInt(response.Json(), "user.work_count");
  EXPECT_TRUE(count.has_value()) << response.Describe();
  return count;
}

std::string MediaServerTest::MediaUrlPrefix() {
  return "http://127.0.0.1:" + std::to_string(Server().Port()) + "/media/";
}

void MediaServerTest::ExpectVideoObject(const rapidjson::Value& video, std::int64_t author_id) {
  const std::optional<std::int64_t> id = JsonInt(video, "id");
  ASSERT_TRUE(id.has_value());
  EXPECT_GT(*id, 0);
  EXPECT_LE(*id, kMaxSafeId);
  EXPECT_TRUE(JsonString(video, "title").has_value());

  EXPECT_EQ(JsonInt(video, "author.id"), author_id);
  EXPECT_TRUE(JsonString(video, "author.name").has_value());
  for (const char* count :
       {"follow_count", "follower_count", "total_favorited", "work_count", "favorite_count"}) {
    EXPECT_TRUE(JsonInt(video, std::string("author.") + count).has_value()) << count;
  }
  EXPECT_TRUE(JsonBool(video, "author.is_follow").has_value());
  for (const char* text : {"avatar", "background_image", "signature"}) {
    EXPECT_TRUE(JsonString(video, std::string("author.") + text).has_value()) << text;
  }

  const std::string prefix = MediaUrlPrefix();
  const std::string play_url = JsonString(video, "play_url").value_or("");
  const std::string cover_url = JsonString(video, "cover_url").value_or("");
  EXPECT_TRUE(play_url.starts_with(prefix)) << play_url << " vs " << prefix;
  EXPECT_TRUE(cover_url.starts_with(prefix)) << cover_url << " vs " << prefix;
  EXPECT_TRUE(cover_url.ends_with(".jpg")) << cover_url;

  EXPECT_EQ(JsonInt(video, "favorite_count"), 0);
  EXPECT_EQ(JsonInt(video, "comment_count"), 0);
  EXPECT_EQ(JsonBool(video, "is_favorite"), false);
}

void MediaServerTest::ExpectNothingStored(const DouyinSession& session,
                                          const std::vector<fs::path>& media_before,
                                          std::size_t videos_before) {
  EXPECT_EQ(Videos(session.user_id, session).Size(), videos_before) << "a video was added";
  EXPECT_EQ(FilesUnder(MediaDir()), media_before) << "the media dir changed";
  // The upload's spool file may be removed just after the answer is written.
  std::vector<fs::path> leftovers = FilesUnder(TmpDir());
  for (auto waited = milliseconds(0); !leftovers.empty() && waited < kTmpCleanupWait;
       waited += kPoll) {
    std::this_thread::sleep_for(kPoll);
    leftovers = FilesUnder(TmpDir());
  }
  EXPECT_TRUE(leftovers.empty()) << "left in tmp: " << leftovers.size() << " file(s), first "
                                 << (leftovers.empty() ? "" : leftovers.front().string());
}

}  // namespace reel::e2e
