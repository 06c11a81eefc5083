#pragma once

#include <cstdint>
#include <optional>

#include "kit/status/status.hpp"

namespace reel::favorite {

/// What the favorite service needs to know about videos, which the video service owns.
/// Implementations are thread-safe.
class VideoDirectory {
 public:
  virtual ~VideoDirectory() = default;
  /// viewer_id meaning "every video that exists, whatever its visibility": for the service's
  /// own bookkeeping (the re-check after a write), never for what a user may act on.
  static constexpr std::int64_t kAllStates = -1;

  /// The author of a video as `viewer_id` may see it: nullopt when the video does not exist
  /// or is not visible to that user (another's private or not-approved video). Errors:
  /// why the video service could not be asked (kUnavailable in a cluster), never taken for
  /// "no video".
  virtual Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                                       std::int64_t viewer_id) = 0;
};

}  // namespace reel::favorite
