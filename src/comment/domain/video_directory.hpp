#pragma once

#include <cstdint>
#include <optional>

#include "kit/status/status.hpp"

namespace reel::comment {

/// What the comment service needs to know about videos, which another service owns: whether
/// one exists and who published it. Implementations are thread-safe.
class VideoDirectory {
 public:
  virtual ~VideoDirectory() = default;
  /// The author of a video, nullopt when the video does not exist. Errors: why the video
  /// service could not be asked (kUnavailable in a cluster), never taken for "no video".
  virtual Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id) = 0;
};

}  // namespace reel::comment
