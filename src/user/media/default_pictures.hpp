#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kit/cache/invalidating_cache.hpp"
#include "kit/status/status.hpp"

namespace reel::user {

/// Pictures for users who have not uploaded their own, drawn from the user id alone: each
/// user gets one of their own (a colour and a symmetric 5×5 pattern, like GitHub's
/// identicons), the same every time and unchanged by a rename, so it can be cached for long.
/// PNG, not SVG: Douyin's mobile clients (and Android's ImageView) do not draw SVG, and
/// flat colours compress to a few kB.
enum class DefaultPicture {
  kAvatar,      ///< 256×256: the pattern on a light tint of the user's colour
  kBackground,  ///< 960×360: a diagonal blend between two shades of the user's colour
};

/// Packed 8-bit RGB rows without padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;

  const std::uint8_t* At(int x, int y) const { return &rgb[(std::size_t(y) * width + x) * 3]; }
};

/// The picture `kind` of user `user_id`, as pixels.
RgbImage DrawDefaultPicture(DefaultPicture kind, std::int64_t user_id);

/// `image` as a PNG file's bytes (FFmpeg's encoder). Errors: INTERNAL.
Result<std::string> EncodePng(const RgbImage& image);

/// The PNGs of DrawDefaultPicture, encoded once and kept (at most `capacity` of them; a
/// full cache starts over). Thread-safe.
class DefaultPictures {
 public:
  explicit DefaultPictures(std::size_t capacity = 4096) : pngs_(capacity) {}

  /// Errors: INTERNAL.
  Result<std::shared_ptr<const std::string>> Png(DefaultPicture kind, std::int64_t user_id);

 private:
  cache::InvalidatingCache<std::int64_t, std::shared_ptr<const std::string>> pngs_;
};

}  // namespace reel::user
