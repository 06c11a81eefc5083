#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kit/status/status.hpp"
#include "moderation/domain/moderation.hpp"

namespace reel::moderation {

/// What moderation changes it asks the services that own the targets to change: videos
/// (the video service), comments (the comment service), users and roles (the user service).
/// Implementations are thread-safe.
class ModerationTargets {
 public:
  virtual ~ModerationTargets() = default;

  /// The author of `target` (a video's or comment's author, or the user themselves) when
  /// it exists and `viewer` may see it (a video's author not hidden, a comment not hidden
  /// on a video they may see); nullopt otherwise.
  virtual Result<std::optional<std::int64_t>> OwnerIfVisible(const Target& target,
                                                             std::int64_t viewer) = 0;
  /// Hides the target pending review (a video: pending, "reported"), or shows it again
  /// (a video: approved). Errors: the owning service's, NOT_FOUND when it is gone.
  virtual Status SetHidden(const Target& target, bool hidden) = 0;
  /// Removes the target after review: a video is rejected with `note`, a comment or user
  /// stays hidden.
  virtual Status Remove(const Target& target, std::string_view note) = 0;
  /// Approves a video, or rejects it with `reason`. Errors: VIDEO_NOT_FOUND, REASON_INVALID.
  virtual Status ReviewVideo(std::int64_t video_id, bool approve, std::string_view reason) = 0;

  /// Whether the user has the moderator role (their row says so).
  virtual Result<bool> HasModeratorRole(std::int64_t user_id) = 0;
  /// Grants or takes the role. Errors: USER_NOT_FOUND.
  virtual Status SetModeratorRole(std::int64_t user_id, bool grant) = 0;
};

}  // namespace reel::moderation
