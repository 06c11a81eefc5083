#pragma once

#include <string>

#include "kit/status/status.hpp"

namespace reel::video::media {

/// Size of a written cover, as displayed (after rotation).
struct CoverInfo {
  int width = 0;
  int height = 0;
};

/// The widest cover we write; narrower videos keep their size (never upscaled).
inline constexpr int kMaxCoverWidth = 720;

/// Writes a JPEG cover for the video at `video_path` to `jpeg_path`: the frame at about 1 s
/// (the decoder starts at the keyframe before 1 s and runs forward to the first frame at or
/// after it), or the first decodable frame when the clip is shorter than 1.5 s. The picture
/// is turned upright per the stream's rotation, scaled to at most kMaxCoverWidth wide
/// keeping its aspect ratio (even dimensions), and encoded as baseline JPEG. The file is
/// written under a temporary name beside `jpeg_path` and renamed, so a reader never sees
/// half a cover.
///
/// Refuses what ProbeVideo refuses (InvalidArgument MEDIA_INVALID, same messages), and a
/// decoded picture the scaler cannot convert (MEDIA_INVALID); Internal when encoding or
/// writing fails. Thread-safe.
Result<CoverInfo> ExtractCover(const std::string& video_path, const std::string& jpeg_path);

}  // namespace reel::video::media
