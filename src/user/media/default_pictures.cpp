#include "user/media/default_pictures.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace reel::user {
namespace {

constexpr int kAvatarSize = 256;
constexpr int kGrid = 5;
constexpr int kCell = 40;
constexpr int kMargin = (kAvatarSize - kGrid * kCell) / 2;  // 28
constexpr int kBackgroundWidth = 960;
constexpr int kBackgroundHeight = 360;

using Rgb = std::array<std::uint8_t, 3>;

// SplitMix64: every bit of the id moves every bit of the result, so neighbouring ids look
// unrelated.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// HSL (hue in degrees, saturation and lightness 0..1) to RGB.
Rgb FromHsl(double hue, double saturation, double lightness) {
  const double c = (1 - std::abs(2 * lightness - 1)) * saturation;
  const double h = std::fmod(hue, 360.0) / 60.0;
  const double x = c * (1 - std::abs(std::fmod(h, 2.0) - 1));
  double r = 0, g = 0, b = 0;
  if (h < 1) {
    r = c, g = x;
  } else if (h < 2) {
    r = x, g = c;
  } else if (h < 3) {
    g = c, b = x;
  } else if (h < 4) {
    g = x, b = c;
  } else if (h < 5) {
    r = x, b = c;
  } else {
    r = c, b = x;
  }
  const double m = lightness - c / 2;
  const auto byte = [m](double v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround((v + m) * 255), 0L, 255L));
  };
  return {byte(r), byte(g), byte(b)};
}

void Fill(RgbImage& image, int x0, int y0, int x1, int y1, const Rgb& colour) {
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      std::copy(colour.begin(), colour.end(), &image.rgb[(std::size_t(y) * image.width + x) * 3]);
    }
  }
}

RgbImage Blank(int width, int height) {
  return RgbImage{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3)};
}

RgbImage Avatar(std::uint64_t seed) {
  const double hue = static_cast<double>(seed % 360);
  RgbImage image = Blank(kAvatarSize, kAvatarSize);
  Fill(image, 0, 0, kAvatarSize, kAvatarSize, FromHsl(hue, 0.45, 0.92));
  const Rgb ink = FromHsl(hue, 0.6, 0.48);
  // Columns 0..2 from 15 bits of the seed, mirrored onto 4 and 3: faces read as faces.
  std::uint32_t bits = static_cast<std::uint32_t>(seed >> 16) & 0x7fff;
  if (__builtin_popcount(bits) < 4) bits ^= 0x7fff;  // never (nearly) empty
  for (int row = 0; row < kGrid; ++row) {
    for (int column = 0; column < 3; ++column) {
      if (((bits >> (row * 3 + column)) & 1) == 0) continue;
      for (int c : {column, kGrid - 1 - column}) {
        Fill(image, kMargin + c * kCell, kMargin + row * kCell, kMargin + (c + 1) * kCell,
             kMargin + (row + 1) * kCell, ink);
      }
    }
  }
  return image;
}

RgbImage Background(std::uint64_t seed) {
  const double hue = static_cast<double>(seed % 360);
  const Rgb from = FromHsl(hue, 0.55, 0.35);
  const Rgb to = FromHsl(hue + 40, 0.6, 0.6);
  RgbImage image = Blank(kBackgroundWidth, kBackgroundHeight);
  const int span = kBackgroundWidth + kBackgroundHeight - 2;
  for (int y = 0; y < kBackgroundHeight; ++y) {
    for (int x = 0; x < kBackgroundWidth; ++x) {
      const double t = static_cast<double>(x + y) / span;
      std::uint8_t* pixel = &image.rgb[(std::size_t(y) * kBackgroundWidth + x) * 3];
      for (int i = 0; i < 3; ++i) {
        pixel[i] = static_cast<std::uint8_t>(std::lround(from[i] + (to[i] - from[i]) * t));
      }
    }
  }
  return image;
}

}  // namespace

RgbImage DrawDefaultPicture(DefaultPicture kind, std::int64_t user_id) {
  const std::uint64_t seed = Mix(static_cast<std::uint64_t>(user_id));
  return kind == DefaultPicture::kAvatar ? Avatar(seed) : Background(seed);
}

Result<std::shared_ptr<const std::string>> DefaultPictures::Png(DefaultPicture kind,
                                                                std::int64_t user_id) {
  // Both kinds in one cache: the kind is the low bit of the key.
  const std::int64_t key = user_id * 2 + (kind == DefaultPicture::kBackground ? 1 : 0);
  Status failed = Status::Ok();
  auto png = pngs_.Get(key, [&](std::int64_t) -> std::optional<std::shared_ptr<const std::string>> {
    auto encoded = EncodePng(DrawDefaultPicture(kind, user_id));
    if (!encoded.ok()) {
      failed = encoded.status();
      return std::nullopt;
    }
    return std::make_shared<const std::string>(std::move(*encoded));
  });
  if (!failed.ok() || !png) {
    pngs_.Invalidate(key);  // the cache noted it as absent; the next request tries again
    return failed.ok() ? Internal("the default picture could not be drawn") : failed;
  }
  return *png;
}

}  // namespace reel::user
