#pragma once

#include <cstdint>
#include <string>

#include "kit/status/status.hpp"

namespace reel::media {

/// How a picture is fitted into the JPEG written from it.
struct ImageFit {
  enum class Mode {
    kSquare,    ///< the centred square of the picture, scaled to `size` x `size` (up or down)
    kMaxWidth,  ///< the whole picture, scaled down to at most `size` wide (never up)
  };
  Mode mode = Mode::kMaxWidth;
  int size = 0;  ///< positive
};

/// What TranscodeImage read and wrote.
struct ImageInfo {
  std::string format;    ///< "jpeg", "png" or "webp": what the bytes are, whatever the name
  int source_width = 0;  ///< as displayed (after the EXIF orientation)
  int source_height = 0;
  int width = 0;  ///< of the written JPEG
  int height = 0;
};

/// Files above this are refused before they are read: the whole file is decoded from memory.
inline constexpr std::uint64_t kMaxImageFileBytes = 32ull << 20;
/// Pictures with more pixels are refused instead of being allocated (a small PNG can
/// declare a huge canvas).
inline constexpr std::int64_t kMaxImagePixels = 40'000'000;

/// Decodes the still picture at `image_path` and writes it to `jpeg_path` as a baseline JPEG
/// fitted per `fit`: turned upright per its EXIF orientation, transparency flattened onto
/// white, full-range BT.601 4:2:0. The format is judged by the content alone (the name is
/// the uploader's choice) and must be JPEG, PNG or WebP; the picture must decode cleanly,
/// which a renamed video, text, a truncated file or an animation does not. The file is
/// written under a temporary name beside `jpeg_path` and renamed, so a reader never sees
/// half an image.
///
/// Refusals: InvalidArgument IMAGE_INVALID with a sentence for the uploader (empty, not a
/// JPEG/PNG/WebP image, corrupt or truncated, too many pixels); PayloadTooLarge
/// IMAGE_TOO_LARGE above kMaxImageFileBytes. Internal when reading, encoding or writing
/// fails. Thread-safe.
Result<ImageInfo> TranscodeImage(const std::string& image_path, const std::string& jpeg_path,
                                 ImageFit fit);

}  // namespace reel::media
