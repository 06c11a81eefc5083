#include "user/media/default_pictures.hpp"

#include <gtest/gtest.h>

#include <set>

namespace reel::user {
namespace {

// Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).
std::pair<int, int> PngSize(const std::string& png) {
  const auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  return {be32(16), be32(20)};
}

TEST(DefaultPicturesTest, AvatarsAreSymmetricPatternsOfTwoColours) {
  for (std::int64_t id : {1LL, 2LL, 3LL, 1000LL, 9007199254740991LL}) {
    const RgbImage image = DrawDefaultPicture(DefaultPicture::kAvatar, id);
    ASSERT_EQ(image.width, 256);
    ASSERT_EQ(image.height, 256);
    std::set<std::array<std::uint8_t, 3>> colours;
    for (int y = 0; y < 256; ++y) {
      for (int x = 0; x < 256; ++x) {
        const std::uint8_t* p = image.At(x, y);
        const std::uint8_t* mirror = image.At(255 - x, y);
        ASSERT_TRUE(std::equal(p, p + 3, mirror)) << id << " at " << x << "," << y;
        colours.insert({p[0], p[1], p[2]});
      }
    }
    EXPECT_EQ(colours.size(), 2u) << id;  // the tint and the pattern, nothing blank
  }
}

TEST(DefaultPicturesTest, EachUserHasTheirOwnAndAlwaysTheSame) {
  std::set<std::vector<std::uint8_t>> seen;
  for (std::int64_t id = 1; id <= 50; ++id) {
    const RgbImage image = DrawDefaultPicture(DefaultPicture::kAvatar, id);
    EXPECT_EQ(image.rgb, DrawDefaultPicture(DefaultPicture::kAvatar, id).rgb);
    seen.insert(image.rgb);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_NE(DrawDefaultPicture(DefaultPicture::kBackground, 1).rgb,
            DrawDefaultPicture(DefaultPicture::kBackground, 2).rgb);
}

TEST(DefaultPicturesTest, PngsHaveTheSizeDrawnAndStaySmall) {
  DefaultPictures pictures;
  auto avatar = pictures.Png(DefaultPicture::kAvatar, 7);
  ASSERT_TRUE(avatar.ok()) << avatar.status().message;
  const std::string& png = **avatar;
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(PngSize(png), std::make_pair(256, 256));
  EXPECT_LT(png.size(), 8u << 10);

  auto background = pictures.Png(DefaultPicture::kBackground, 7);
  ASSERT_TRUE(background.ok()) << background.status().message;
  EXPECT_EQ(PngSize(**background), std::make_pair(960, 360));
  EXPECT_LT((*background)->size(), 64u << 10);
  EXPECT_NE(**background, png);

  // Encoded once: the same bytes come back, deterministic across encoders too.
  EXPECT_EQ(pictures.Png(DefaultPicture::kAvatar, 7)->get(), avatar->get());
  EXPECT_EQ(*DefaultPictures().Png(DefaultPicture::kAvatar, 7).value(), png);
}

}  // namespace
}  // namespace reel::user
