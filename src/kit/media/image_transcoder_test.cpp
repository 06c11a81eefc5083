// TranscodeImage on real pictures made by the ffmpeg CLI, read back by the ffmpeg CLI.
#include "kit/media/image_transcoder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace reel::media {
namespace {

constexpr ImageFit kAvatar{ImageFit::Mode::kSquare, 256};
constexpr ImageFit kBackground{ImageFit::Mode::kMaxWidth, 1280};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteAll(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

struct Dimensions {
  int width = 0;
  int height = 0;
  bool operator==(const Dimensions&) const = default;
};

// Width and height from a JPEG's first start-of-frame marker.
std::optional<Dimensions> JpegDimensions(const std::string& jpeg) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned>(std::uint8_t(jpeg[i])); };
  const auto be16 = [&](std::size_t i) { return static_cast<int>(byte(i) << 8 | byte(i + 1)); };
  for (std::size_t i = 2; i + 9 <= jpeg.size();) {
    if (byte(i) != 0xFF) return std::nullopt;
    const unsigned marker = byte(i + 1);
    if (marker >= 0xC0 && marker <= 0xC3) return Dimensions{be16(i + 7), be16(i + 5)};
    i += 2 + static_cast<std::size_t>(be16(i + 2));
  }
  return std::nullopt;
}

// An APP1 EXIF segment (big-endian TIFF, one IFD entry: Orientation) put after the SOI.
std::string WithExifOrientation(const std::string& jpeg, int orientation) {
  std::string tiff("MM\0\x2A\0\0\0\x08", 8);
  tiff += std::string("\0\x01", 2);                               // one entry
  tiff += std::string("\x01\x12\0\x03\0\0\0\x01", 8);             // Orientation, SHORT, 1
  tiff += std::string("\0", 1) + static_cast<char>(orientation);  // the value...
  tiff += std::string("\0\0", 2);                                 // ...padded to 4 bytes
  tiff += std::string("\0\0\0\0", 4);                             // no next IFD
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const std::size_t length = payload.size() + 2;
  std::string segment = "\xFF\xE1";
  segment += static_cast<char>(length >> 8);
  segment += static_cast<char>(length & 0xFF);
  return jpeg.substr(0, 2) + segment + payload + jpeg.substr(2);
}

using Rgb = std::array<double, 3>;

class ImageTranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_image_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs the ffmpeg CLI with `args`, writing `name` in the test dir; returns its path.
  std::string Ffmpeg(const std::string& args, const std::string& name) const {
    const std::string out = Path(name);
    const std::string command = "ffmpeg -nostdin -loglevel error -y " + args + " '" + out + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  }
  // One frame of ffmpeg's test pattern at `size` ("640x480"), in the format `name` implies.
  std::string Pattern(const std::string& size, const std::string& name,
                      const std::string& extra = "") const {
    return Ffmpeg("-f lavfi -i testsrc=size=" + size + " -frames:v 1 " + extra, name);
  }
  // Two colours side by side, each `w`x`h`: "red", "blue" -> [red|blue].
  std::string Halves(const std::string& left, const std::string& right, int w, int h,
                     const std::string& name) const {
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    return Ffmpeg("-f lavfi -i color=" + left + ":s=" + size + " -f lavfi -i color=" + right +
                      ":s=" + size + " -filter_complex hstack -frames:v 1",
                  name);
  }

  Result<ImageInfo> Transcode(const std::string& input, ImageFit fit) {
    return TranscodeImage(input, Path("out.jpg"), fit);
  }

  // Checks the written JPEG is complete and `expected` in size.
  void ExpectJpeg(Dimensions expected) {
    const std::string jpeg = ReadAll(Path("out.jpg"));
    ASSERT_GT(jpeg.size(), 4u);
    EXPECT_EQ(std::uint8_t(jpeg[0]), 0xFF);
    EXPECT_EQ(std::uint8_t(jpeg[1]), 0xD8);
    EXPECT_EQ(std::uint8_t(jpeg[jpeg.size() - 2]), 0xFF);
    EXPECT_EQ(std::uint8_t(jpeg[jpeg.size() - 1]), 0xD9);
    EXPECT_EQ(JpegDimensions(jpeg), expected);
  }

  // Mean colour of a region of the written JPEG (fractions of its size), decoded by ffmpeg.
  Rgb MeanColour(Dimensions size, double x0, double y0, double x1, double y1) const {
    const std::string raw =
        Ffmpeg("-i '" + Path("out.jpg") + "' -f rawvideo -pix_fmt rgb24", "out.rgb");
    const std::string pixels = ReadAll(raw);
    EXPECT_EQ(pixels.size(), std::size_t{3} * size.width * size.height);
    if (pixels.size() != std::size_t{3} * size.width * size.height) return {};
    Rgb sum{};
    int count = 0;
    for (int y = static_cast<int>(y0 * size.height); y < static_cast<int>(y1 * size.height); ++y) {
      for (int x = static_cast<int>(x0 * size.width); x < static_cast<int>(x1 * size.width); ++x) {
        for (int c = 0; c < 3; ++c) {
          sum[c] += std::uint8_t(pixels[(std::size_t{3} * (y * size.width + x)) + c]);
        }
        ++count;
      }
    }
    for (double& v : sum) v /= count;
    return sum;
  }

  void ExpectRefused(const std::string& input, const std::string& why) {
    auto result = Transcode(input, kAvatar);
    ASSERT_FALSE(result.ok()) << input;
    EXPECT_EQ(result.status().code, Code::kInvalidArgument);
    EXPECT_EQ(result.status().reason, "IMAGE_INVALID");
    EXPECT_NE(result.status().message.find(why), std::string::npos) << result.status().message;
    EXPECT_FALSE(std::filesystem::exists(Path("out.jpg")));
  }

  std::filesystem::path dir_;
};

// Mostly `channel` (0 red, 1 green, 2 blue): that one high, the others low.
void ExpectDominant(const Rgb& colour, int channel) {
  for (int c = 0; c < 3; ++c) {
    if (c == channel) {
      EXPECT_GT(colour[c], 200) << "channel " << c;
    } else {
      EXPECT_LT(colour[c], 60) << "channel " << c;
    }
  }
}

TEST_F(ImageTranscoderTest, JpegPngAndWebpBecomeSquareAvatars) {
  const std::pair<std::string, std::string> inputs[] = {
      {Pattern("640x480", "a.jpg"), "jpeg"},
      {Pattern("640x480", "a.png"), "png"},
      {Pattern("640x480", "a.webp", "-c:v libwebp"), "webp"},
      {Pattern("640x480", "lossless.webp", "-c:v libwebp -lossless 1"), "webp"},
  };
  for (const auto& [input, format] : inputs) {
    SCOPED_TRACE(input);
    auto info = Transcode(input, kAvatar);
    ASSERT_TRUE(info.ok()) << info.status().message;
    EXPECT_EQ(info->format, format);
    EXPECT_EQ(info->source_width, 640);
    EXPECT_EQ(info->source_height, 480);
    EXPECT_EQ(info->width, 256);
    EXPECT_EQ(info->height, 256);
    ExpectJpeg({256, 256});
  }
}

TEST_F(ImageTranscoderTest, BackgroundsShrinkToTheWidthLimitAndNeverGrow) {
  ASSERT_TRUE(Transcode(Pattern("2000x1000", "wide.png"), kBackground).ok());
  ExpectJpeg({1280, 640});
  ASSERT_TRUE(Transcode(Pattern("640x480", "small.jpg"), kBackground).ok());
  ExpectJpeg({640, 480});
  auto odd = Transcode(Pattern("333x201", "odd.webp", "-c:v libwebp"), kBackground);
  ASSERT_TRUE(odd.ok()) << odd.status().message;
  ExpectJpeg({333, 201});
  // A very tall strip is capped at four times the width limit in height.
  ASSERT_TRUE(Transcode(Pattern("100x6000", "tall.png"), kBackground).ok());
  ExpectJpeg({85, 5120});
}

TEST_F(ImageTranscoderTest, AvatarIsTheCentredSquareScaledUpOrDown) {
  // [red|green|blue] thirds: the centred square is the green third.
  Ffmpeg(
      "-f lavfi -i color=red:s=100x100 -f lavfi -i color=lime:s=100x100 -f lavfi -i "
      "color=blue:s=100x100 -filter_complex hstack=inputs=3 -frames:v 1",
      "thirds.png");
  ASSERT_TRUE(Transcode(Path("thirds.png"), kAvatar).ok());
  ExpectJpeg({256, 256});
  ExpectDominant(MeanColour({256, 256}, 0, 0, 1, 1), 1);

  ASSERT_TRUE(Transcode(Halves("red", "blue", 10, 20, "tiny.jpg"), kAvatar).ok());
  ExpectJpeg({256, 256});
  ExpectDominant(MeanColour({256, 256}, 0, 0, 0.4, 1), 0);
  ExpectDominant(MeanColour({256, 256}, 0.6, 0, 1, 1), 2);
}

TEST_F(ImageTranscoderTest, TransparencyBecomesWhite) {
  Ffmpeg("-f lavfi -i color=black@0.0:s=64x64,format=rgba -frames:v 1", "clear.png");
  ASSERT_TRUE(Transcode(Path("clear.png"), kAvatar).ok());
  const Rgb colour = MeanColour({256, 256}, 0, 0, 1, 1);
  for (double v : colour) EXPECT_GT(v, 245);
}

TEST_F(ImageTranscoderTest, OneBitPngIsCroppedLikeAnyOther) {
  Ffmpeg(
      "-f lavfi -i color=black:s=100x100 -f lavfi -i color=white:s=100x100 -f lavfi -i "
      "color=black:s=100x100 -filter_complex hstack=inputs=3,format=monob -frames:v 1",
      "mono.png");
  ASSERT_TRUE(Transcode(Path("mono.png"), kAvatar).ok());
  const Rgb colour = MeanColour({256, 256}, 0, 0, 1, 1);
  for (double v : colour) EXPECT_GT(v, 245);  // the white middle, not the black left
}

TEST_F(ImageTranscoderTest, ExifOrientationIsTurnedUpright) {
  const std::string plain = ReadAll(Halves("red", "blue", 32, 32, "halves.jpg"));
  struct Case {
    int orientation;
    Dimensions size;
    int top_left_channel;  // colour of the upright picture's first quarter
  };
  // Stored [red|blue]. 6 turns it clockwise (red on top), 8 anticlockwise (blue on top), 3
  // a half turn (blue on the left), 2 mirrors it (blue on the left).
  for (const Case& c : {Case{1, {64, 32}, 0}, Case{6, {32, 64}, 0}, Case{8, {32, 64}, 2},
                        Case{3, {64, 32}, 2}, Case{2, {64, 32}, 2}}) {
    SCOPED_TRACE(c.orientation);
    WriteAll(Path("oriented.jpg"), WithExifOrientation(plain, c.orientation));
    auto info = Transcode(Path("oriented.jpg"), kBackground);
    ASSERT_TRUE(info.ok()) << info.status().message;
    EXPECT_EQ((Dimensions{info->source_width, info->source_height}), c.size);
    ExpectJpeg(c.size);
    ExpectDominant(MeanColour(c.size, 0, 0, 0.4, 0.4), c.top_left_channel);
  }
}

TEST_F(ImageTranscoderTest, TheContentDecidesNotTheName) {
  const std::string png = Pattern("64x48", "picture.png");
  std::filesystem::rename(png, Path("picture.mp4"));
  auto info = Transcode(Path("picture.mp4"), kAvatar);
  ASSERT_TRUE(info.ok()) << info.status().message;
  EXPECT_EQ(info->format, "png");
}

TEST_F(ImageTranscoderTest, VideosTextAndGarbageAreRefused) {
  Ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25:duration=1 -c:v libx264 -pix_fmt yuv420p",
         "clip.mp4");
  std::filesystem::rename(Path("clip.mp4"), Path("clip.jpg"));
  ExpectRefused(Path("clip.jpg"), "not a JPEG, PNG or WebP image");
  WriteAll(Path("text.jpg"), "just some text, not a picture\n");
  ExpectRefused(Path("text.jpg"), "not a JPEG, PNG or WebP image");
  Pattern("64x48", "anim.gif");
  ExpectRefused(Path("anim.gif"), "not a JPEG, PNG or WebP image");
  WriteAll(Path("empty.png"), "");
  ExpectRefused(Path("empty.png"), "empty");
  // The right signatures followed by noise.
  std::string noise(4096, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919) >> 3);
  WriteAll(Path("noise.jpg"), "\xFF\xD8\xFF\xE0" + noise + "\xFF\xDA" + noise + "\xFF\xD9");
  ExpectRefused(Path("noise.jpg"), "cannot be decoded");
  WriteAll(Path("noise.png"), "\x89PNG\r\n\x1A\n" + noise);
  ExpectRefused(Path("noise.png"), "cannot be decoded");
  WriteAll(Path("noise.webp"), std::string("RIFF\0\x10\0\0WEBPVP8 ", 16) + noise);
  ExpectRefused(Path("noise.webp"), "cannot be decoded");
}

TEST_F(ImageTranscoderTest, TruncatedImagesAreRefused) {
  for (const std::string name : {"whole.jpg", "whole.png", "whole.webp"}) {
    SCOPED_TRACE(name);
    const std::string bytes =
        ReadAll(Pattern("640x480", name, name.ends_with(".webp") ? "-c:v libwebp" : ""));
    WriteAll(Path("cut"), bytes.substr(0, bytes.size() * 6 / 10));
    ExpectRefused(Path("cut"), "cannot be decoded");
  }
}

TEST_F(ImageTranscoderTest, AnimatedWebpIsRefused) {
  Ffmpeg("-f lavfi -i testsrc=size=64x48:rate=5:duration=1 -c:v libwebp_anim -loop 0", "anim.webp");
  ExpectRefused(Path("anim.webp"), "cannot be decoded");
}

TEST_F(ImageTranscoderTest, HugeCanvasAndHugeFilesAreRefusedUnread) {
  // 48 million pixels of one colour: a small file that would take 190 MB as RGBA. Just
  // under the limit is fine, so the refusal is the size and not the format.
  Ffmpeg("-f lavfi -i color=white:s=8000x6000,format=monob -frames:v 1", "canvas.png");
  ExpectRefused(Path("canvas.png"), "40 million pixels");
  Ffmpeg("-f lavfi -i color=white:s=6000x6000,format=monob -frames:v 1", "fits.png");
  EXPECT_TRUE(Transcode(Path("fits.png"), kAvatar).ok());

  const std::string big = Pattern("64x48", "big.jpg");
  std::filesystem::resize_file(big, kMaxImageFileBytes + 1);
  auto result = Transcode(big, kAvatar);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code, Code::kPayloadTooLarge);
  EXPECT_EQ(result.status().reason, "IMAGE_TOO_LARGE");
}

TEST_F(ImageTranscoderTest, NothingIsLeftBehindBesideTheOutput) {
  ASSERT_TRUE(Transcode(Pattern("64x48", "in.png"), kAvatar).ok());
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 2);  // in.png and out.jpg: the temp name was renamed away
}

}  // namespace
}  // namespace reel::media
