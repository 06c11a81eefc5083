#pragma once

#include <cstdint>
#include <optional>

namespace reel::favorite {

/// What the favorite service needs to know about videos, which the video service owns.
/// Implementations are thread-safe.
class VideoDirectory {
 public:
  virtual ~VideoDirectory() = default;
  /// The author of a video, nullopt when the video does not exist.
  virtual std::optional<std::int64_t> AuthorOf(std::int64_t video_id) = 0;
};

}  // namespace reel::favorite
