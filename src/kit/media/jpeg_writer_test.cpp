// The JPEG writer on pictures that cannot be converted: an error, and no file.
#include "kit/media/jpeg_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace reel::media::detail {
namespace {

class JpegWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("reel_jpeg_writer_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_F(JpegWriterTest, WritesAPicture) {
  const std::vector<std::uint8_t> grey(std::size_t{4} * 16 * 16, 128);
  const std::string path = (dir_ / "ok.jpg").string();
  Status s = WriteRgbaAsJpeg(grey.data(), 16, 16, path);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_GT(std::filesystem::file_size(path), 0u);
}

TEST_F(JpegWriterTest, PixelsTheScalerRefusesAreAnErrorNotAJpegOfStaleMemory) {
  // No pixels at all: the scaler refuses the source, and the picture it would have filled
  // holds whatever its fresh buffer held.
  const std::string path = (dir_ / "refused.jpg").string();
  Status s = WriteRgbaAsJpeg(nullptr, 16, 16, path);
  EXPECT_EQ(s.code, Code::kInternal);
  EXPECT_EQ(s.reason, "INTERNAL");
  EXPECT_EQ(s.message, "cannot convert the picture for JPEG");
  EXPECT_TRUE(std::filesystem::is_empty(dir_)) << "no file, not even a temporary one";
}

}  // namespace
}  // namespace reel::media::detail
