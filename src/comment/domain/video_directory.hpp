#pragma once

#include <cstdint>
#include <optional>

#include "kit/status/status.hpp"

namespace reel::comment {

/// What the comment service needs to know about videos, which another service owns: whether
/// one exists and who published it. Implementations are thread-safe.
class VideoDirectory {
 public:
  /// As viewer_id: any video whatever its visibility, for the service's own bookkeeping
  /// (cascades, who may delete a comment), never for what a user is allowed to act on.
  static constexpr std::int64_t kAllStates = -1;

  virtual ~VideoDirectory() = default;
  /// The author of a video, nullopt when the video does not exist or `viewer_id` may not see
  /// it (another's private video, or one still under review). Errors: why the video service
  /// could not be asked (kUnavailable in a cluster), never taken for "no video".
  virtual Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                                       std::int64_t viewer_id) = 0;
};

}  // namespace reel::comment
