#pragma once

#include <cstdint>
#include <string>

#include "kit/status/status.hpp"

namespace reel::video::media {

/// What an accepted upload is, as read from the file itself (never from its name).
struct MediaInfo {
  std::string container;    // demuxer name: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", ...
  std::string video_codec;  // "h264", "hevc", "vp9", ...
  int width = 0;            // coded size, before `rotation` is applied
  int height = 0;
  int rotation = 0;  // clockwise degrees a player turns the picture: 0, 90, 180 or 270
  std::int64_t duration_ms = 0;
  bool has_audio = false;
  bool is_mp4 = false;  // ISO-BMFF family (mp4/mov), where faststart applies
};

/// Checks that `path` is a playable video and describes it: the content must be a video
/// container we accept (MP4/MOV, Matroska/WebM, AVI, FLV, MPEG-TS/PS, ASF, Ogg) holding a
/// moving-picture stream with a decoder, and one of its frames must decode cleanly, which
/// proves the file plays rather than merely being labelled as video. Probing and the number
/// of packets read are bounded, so hostile input costs little and cannot hang the caller.
///
/// Refusals are InvalidArgument MEDIA_INVALID with a message for the uploader: the file is
/// empty; not a video file (unrecognised or unsupported format); the file has no video
/// stream (audio only, or a still image); the video codec cannot be played; the video is
/// truncated or corrupt. Internal when the file cannot be read at all (our fault, not the
/// uploader's). Thread-safe: every call has its own FFmpeg contexts.
Result<MediaInfo> ProbeVideo(const std::string& path);

}  // namespace reel::video::media
