#pragma once

// Internal to the media libraries, like ffmpeg_handles.hpp.

#include <cstdint>
#include <string>

#include "kit/status/status.hpp"

struct AVFrame;

namespace reel::media::detail {

/// Encodes `picture` (full-range YUV 4:2:0, AV_PIX_FMT_YUVJ420P) as a baseline JPEG and
/// writes it to `path` under a temporary name beside it, renamed when complete. Covers and
/// profile pictures share it. Errors: INTERNAL. Thread-safe.
Status WriteJpeg(AVFrame& picture, const std::string& path);

/// Encodes `width` x `height` packed RGBA pixels (rows without padding; alpha ignored) as a
/// baseline JPEG in full-range BT.601 4:2:0 and writes it to `path` under a temporary name
/// beside it, renamed when complete. Errors: INTERNAL. Thread-safe.
Status WriteRgbaAsJpeg(const std::uint8_t* rgba, int width, int height, const std::string& path);

}  // namespace reel::media::detail
