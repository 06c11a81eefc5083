#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "video/media/cover_extractor.hpp"
#include "video/media/faststart.hpp"
#include "video/media/media_probe.hpp"

namespace reel::video::media {
namespace {

constexpr const char* kH264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p";

std::string TestSource(const std::string& size, double seconds) {
  return "-f lavfi -i testsrc=size=" + size + ":rate=25:duration=" + std::to_string(seconds);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

struct Size {
  int width = 0;
  int height = 0;
};

// The frame size from a JPEG's first start-of-frame marker.
std::optional<Size> JpegSize(const std::string& jpeg) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned>(std::uint8_t(jpeg[i])); };
  const auto be16 = [&](std::size_t i) { return static_cast<int>(byte(i) << 8 | byte(i + 1)); };
  for (std::size_t i = 2; i + 9 <= jpeg.size();) {
    if (byte(i) != 0xFF) return std::nullopt;
    const unsigned marker = byte(i + 1);
    const bool is_sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (is_sof) return Size{be16(i + 7), be16(i + 5)};
    i += 2 + static_cast<std::size_t>(be16(i + 2));
  }
  return std::nullopt;
}

bool LooksLikeJpeg(const std::string& bytes) {
  return bytes.size() > 4 && std::uint8_t(bytes[0]) == 0xFF && std::uint8_t(bytes[1]) == 0xD8 &&
         std::uint8_t(bytes[bytes.size() - 2]) == 0xFF &&
         std::uint8_t(bytes[bytes.size() - 1]) == 0xD9;
}

class MediaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_media_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs the ffmpeg CLI with `args` and `name` (in the test dir) as its output; returns the path.
  // A `name` starting with '|' has ffmpeg write to a pipe instead (no seeking back to finish
  // headers, as a live recorder writes).
  std::string Ffmpeg(const std::string& args, const std::string& name) const {
    const bool piped = name.starts_with('|');
    const std::string out = Path(piped ? name.substr(1) : name);
    const std::string command =
        "ffmpeg -nostdin -loglevel error -y " + args + (piped ? " - > '" : " '") + out + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  }

  // H.264 + AAC in MP4; the index goes at the end unless `faststart`.
  std::string H264Mp4(const std::string& name, const std::string& size, double seconds,
                      bool faststart = false) const {
    const std::string audio = "-f lavfi -i sine=frequency=440:duration=" + std::to_string(seconds);
    return Ffmpeg(TestSource(size, seconds) + " " + audio + " " + kH264 + " -c:a aac -shortest" +
                      (faststart ? " -movflags +faststart" : ""),
                  name);
  }

  // The mean luma of the top and bottom halves of an image (or a video's first frame, turned
  // upright), decoded by the ffmpeg CLI.
  std::pair<double, double> MeanLumaTopBottom(const std::string& image, Size size) const {
    const std::string raw =
        Ffmpeg("-i '" + image + "' -frames:v 1 -f rawvideo -pix_fmt gray", "luma.raw");
    const std::string pixels = ReadAll(raw);
    EXPECT_EQ(pixels.size(), static_cast<std::size_t>(size.width) * size.height);
    const std::size_t half = pixels.size() / 2;
    double top = 0;
    double bottom = 0;
    for (std::size_t i = 0; i < pixels.size(); ++i) {
      (i < half ? top : bottom) += std::uint8_t(pixels[i]);
    }
    return {top / half, bottom / (pixels.size() - half)};
  }

  void ExpectRefused(const std::string& path, const std::string& why) const {
    auto probed = ProbeVideo(path);
    ASSERT_FALSE(probed.ok()) << path;
    EXPECT_EQ(probed.status().code, Code::kInvalidArgument);
    EXPECT_EQ(probed.status().reason, "MEDIA_INVALID");
    EXPECT_NE(probed.status().message.find(why), std::string::npos) << probed.status().message;
  }

  std::string Truncated(const std::string& path, double fraction, const std::string& name) const {
    const std::string bytes = ReadAll(path);
    WriteAll(Path(name), bytes.substr(0, static_cast<std::size_t>(bytes.size() * fraction)));
    return Path(name);
  }

  std::filesystem::path dir_;
};

TEST_F(MediaTest, AcceptsH264AacMp4) {
  auto info = ProbeVideo(H264Mp4("a.mp4", "320x240", 2));
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 240);
  EXPECT_NEAR(info->duration_ms, 2000, 100);
  EXPECT_TRUE(info->has_audio);
  EXPECT_TRUE(info->is_mp4);
  EXPECT_EQ(info->rotation, 0);
  EXPECT_EQ(info->container, "mov,mp4,m4a,3gp,3g2,mj2");
}

TEST_F(MediaTest, AcceptsVp9Webm) {
  const std::string webm = Ffmpeg(
      TestSource("320x240", 2) + " -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 200k -an",
      "a.webm");
  auto info = ProbeVideo(webm);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->video_codec, "vp9");
  EXPECT_EQ(info->container, "matroska,webm");
  EXPECT_NEAR(info->duration_ms, 2000, 100);
  EXPECT_FALSE(info->has_audio);
  EXPECT_FALSE(info->is_mp4);
}

TEST_F(MediaTest, FaststartMovesTheIndexToTheFront) {
  const std::string in = H264Mp4("late.mp4", "320x240", 2);
  ASSERT_EQ(MoovBeforeMdat(in), std::optional<bool>(false));

  const std::string out = Path("fast.mp4");
  auto rewritten = MakeFaststart(in, out);
  ASSERT_TRUE(rewritten.ok()) << rewritten.status().message;
  EXPECT_TRUE(*rewritten);
  EXPECT_EQ(MoovBeforeMdat(out), std::optional<bool>(true));

  auto before = ProbeVideo(in);
  auto after = ProbeVideo(out);
  ASSERT_TRUE(before.ok() && after.ok()) << after.status().message;
  EXPECT_EQ(after->width, before->width);
  EXPECT_EQ(after->height, before->height);
  EXPECT_NEAR(after->duration_ms, before->duration_ms, 50);
  EXPECT_TRUE(after->has_audio);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

TEST_F(MediaTest, FaststartLeavesProgressiveAndOtherFormatsAlone) {
  const std::string fast = H264Mp4("fast.mp4", "320x240", 1, /*faststart=*/true);
  EXPECT_EQ(MoovBeforeMdat(fast), std::optional<bool>(true));
  auto unchanged = MakeFaststart(fast, Path("out.mp4"));
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(*unchanged);

  const std::string webm =
      Ffmpeg(TestSource("160x120", 1) + " -c:v libvpx -deadline realtime -cpu-used 8", "a.webm");
  EXPECT_EQ(MoovBeforeMdat(webm), std::nullopt);
  auto not_mp4 = MakeFaststart(webm, Path("out.mp4"));
  ASSERT_TRUE(not_mp4.ok());
  EXPECT_FALSE(*not_mp4);
  EXPECT_FALSE(std::filesystem::exists(Path("out.mp4")));
}

TEST_F(MediaTest, FaststartRefusesAnMp4CutBeforeItsIndex) {
  const std::string cut = Truncated(H264Mp4("late.mp4", "320x240", 2), 0.3, "cut.mp4");
  auto rewritten = MakeFaststart(cut, Path("out.mp4"));
  ASSERT_FALSE(rewritten.ok());
  EXPECT_EQ(rewritten.status().reason, "MEDIA_INVALID");
  EXPECT_FALSE(std::filesystem::exists(Path("out.mp4")));
}

TEST_F(MediaTest, RefusesAnEmptyFile) {
  WriteAll(Path("empty.mp4"), "");
  ExpectRefused(Path("empty.mp4"), "empty");
}

TEST_F(MediaTest, RefusesAPngNamedMp4) {
  const std::string png = Ffmpeg(TestSource("64x64", 1) + " -frames:v 1", "still.png");
  std::filesystem::rename(png, Path("still.mp4"));
  ExpectRefused(Path("still.mp4"), "still image");
  auto cover = ExtractCover(Path("still.mp4"), Path("cover.jpg"));
  EXPECT_EQ(cover.status().reason, "MEDIA_INVALID");
  EXPECT_NE(cover.status().message.find("still image"), std::string::npos)
      << cover.status().message;
  EXPECT_FALSE(std::filesystem::exists(Path("cover.jpg")));
}

TEST_F(MediaTest, RefusesASingleFrameVideo) {
  ExpectRefused(Ffmpeg(TestSource("64x64", 1) + " -frames:v 1 " + kH264, "one.mp4"), "still image");
  ExpectRefused(Ffmpeg(TestSource("64x64", 1) + " -frames:v 1 -c:v mjpeg", "one.mov"),
                "still image");
}

TEST_F(MediaTest, RefusesPlainText) {
  WriteAll(Path("notes.mp4"), "This is not a video.\nJust some words in a text file.\n");
  ExpectRefused(Path("notes.mp4"), "not a video file");
}

TEST_F(MediaTest, RefusesAudioOnly) {
  const std::string sine = "-f lavfi -i sine=frequency=440:duration=1";
  ExpectRefused(Ffmpeg(sine + " -c:a aac", "tone.m4a"), "no video stream");
  ExpectRefused(Ffmpeg(sine + " -c:a libmp3lame", "tone.mp3"), "no video stream");
}

TEST_F(MediaTest, RefusesAnMp4CutBeforeItsIndex) {
  const std::string cut = Truncated(H264Mp4("late.mp4", "320x240", 2), 0.3, "cut.mp4");
  ExpectRefused(cut, "truncated or corrupt");
}

TEST_F(MediaTest, FaststartMp4CutAfterItsIndexDecodesWhatIsThere) {
  // The index is intact and the first 60% of the media is there: frames decode, so it is
  // accepted (the duration comes from the index). What matters is no crash or hang.
  const std::string cut =
      Truncated(H264Mp4("fast.mp4", "320x240", 2, /*faststart=*/true), 0.6, "cut.mp4");
  auto info = ProbeVideo(cut);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->width, 320);
  auto cover = ExtractCover(cut, Path("cover.jpg"));
  EXPECT_TRUE(cover.ok()) << cover.status().message;
}

TEST_F(MediaTest, RefusesRandomBytes) {
  std::mt19937 random(42);
  std::string bytes(64 * 1024, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
  WriteAll(Path("noise.mp4"), bytes);
  ExpectRefused(Path("noise.mp4"), "not a video file");
  EXPECT_EQ(MoovBeforeMdat(Path("noise.mp4")), std::nullopt);
}

TEST_F(MediaTest, CoverOfHdVideoIs720Wide) {
  const std::string video = H264Mp4("hd.mp4", "1280x720", 2);
  auto cover = ExtractCover(video, Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  EXPECT_EQ(cover->width, 720);
  EXPECT_EQ(cover->height % 2, 0);
  EXPECT_NEAR(cover->height, 405, 2);

  const std::string jpeg = ReadAll(Path("cover.jpg"));
  ASSERT_TRUE(LooksLikeJpeg(jpeg));
  const auto size = JpegSize(jpeg);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, cover->width);
  EXPECT_EQ(size->height, cover->height);
}

TEST_F(MediaTest, CoverOfSmallVideoKeepsItsSize) {
  auto cover = ExtractCover(H264Mp4("small.mp4", "320x240", 2), Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  const auto size = JpegSize(ReadAll(Path("cover.jpg")));
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 320);
  EXPECT_EQ(size->height, 240);
}

TEST_F(MediaTest, ShortClipGetsItsFirstFrameAsCover) {
  auto cover = ExtractCover(H264Mp4("short.mp4", "320x240", 0.5), Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  EXPECT_TRUE(LooksLikeJpeg(ReadAll(Path("cover.jpg"))));
}

TEST_F(MediaTest, CoverIsTheFrameAtOneSecond) {
  // One second of black, then white: a cover from the first frame would be black.
  const std::string video = Ffmpeg(
      "-f lavfi -i color=black:size=320x240:rate=25:duration=1 "
      "-f lavfi -i color=white:size=320x240:rate=25:duration=2 "
      "-filter_complex '[0:v][1:v]concat=n=2:v=1:a=0' " +
          std::string(kH264),
      "black_then_white.mp4");
  auto cover = ExtractCover(video, Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  const auto [top, bottom] = MeanLumaTopBottom(Path("cover.jpg"), Size{320, 240});
  EXPECT_GT(top, 200);
  EXPECT_GT(bottom, 200);
}

TEST_F(MediaTest, StreamedWebmWithoutDurationIsAcceptedAndCoveredAtOneSecond) {
  // Browsers' MediaRecorder writes WebM like this: no duration, no seek index.
  const std::string video = Ffmpeg(
      "-f lavfi -i color=black:size=320x240:rate=25:duration=1 "
      "-f lavfi -i color=white:size=320x240:rate=25:duration=2 "
      "-filter_complex '[0:v][1:v]concat=n=2:v=1:a=0' "
      "-c:v libvpx -deadline realtime -cpu-used 8 -f webm",
      "|live.webm");
  auto info = ProbeVideo(video);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->video_codec, "vp8");
  EXPECT_EQ(info->duration_ms, 0);

  auto cover = ExtractCover(video, Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  const auto [top, bottom] = MeanLumaTopBottom(Path("cover.jpg"), Size{320, 240});
  EXPECT_GT(top, 200);
  EXPECT_GT(bottom, 200);
}

TEST_F(MediaTest, CoverOfRotatedVideoIsUpright) {
  // Stored landscape (left half black, right half white) and flagged to play turned 90°
  // clockwise, as phones record portrait video: upright, the black half is on top. The flag
  // is added by a stream-copy remux, where the CLI honours it. (The CLI takes "rotate" as
  // counter-clockwise, hence -90.)
  const std::string landscape = Ffmpeg(
      "-f lavfi -i color=black:size=160x240:rate=25:duration=2 "
      "-f lavfi -i color=white:size=160x240:rate=25:duration=2 "
      "-filter_complex '[0:v][1:v]hstack' " +
          std::string(kH264),
      "landscape.mp4");
  const std::string video =
      Ffmpeg("-i '" + landscape + "' -c copy -metadata:s:v:0 rotate=-90", "portrait.mp4");
  auto info = ProbeVideo(video);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->rotation, 90);
  EXPECT_EQ(info->width, 320);

  auto cover = ExtractCover(video, Path("cover.jpg"));
  ASSERT_TRUE(cover.ok()) << cover.status().message;
  EXPECT_EQ(cover->width, 240);
  EXPECT_EQ(cover->height, 320);
  const auto [top, bottom] = MeanLumaTopBottom(Path("cover.jpg"), Size{240, 320});
  EXPECT_LT(top, 60);
  EXPECT_GT(bottom, 200);
  // The ffmpeg CLI's autorotation (what players do) agrees.
  const auto [cli_top, cli_bottom] = MeanLumaTopBottom(video, Size{240, 320});
  EXPECT_LT(cli_top, 60);
  EXPECT_GT(cli_bottom, 200);

  // Faststart keeps the flag: without it the remuxed video would play sideways.
  auto rewritten = MakeFaststart(video, Path("fast.mp4"));
  ASSERT_TRUE(rewritten.ok() && *rewritten) << rewritten.status().message;
  auto fast = ProbeVideo(Path("fast.mp4"));
  ASSERT_TRUE(fast.ok()) << fast.status().message;
  EXPECT_EQ(fast->rotation, 90);
}

TEST_F(MediaTest, ConcurrentProbesAndCoversOfOneFileAllSucceed) {
  const std::string video = H264Mp4("shared.mp4", "320x240", 2);
  constexpr int kThreads = 4;
  std::vector<int> ok(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // All write the same cover path: the temp-and-rename must keep each write whole.
      ok[t] = ProbeVideo(video).ok() && ExtractCover(video, Path("cover.jpg")).ok();
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(ok[t]) << "thread " << t;
  EXPECT_TRUE(LooksLikeJpeg(ReadAll(Path("cover.jpg"))));
}

}  // namespace
}  // namespace reel::video::media
