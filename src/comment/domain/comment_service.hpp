#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "comment/domain/comment.hpp"
#include "comment/domain/comment_repository.hpp"
#include "comment/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/status/status.hpp"

namespace reel::comment {

/// A page of a video's comments, newest first, and the cursor of the next page (0: this is
/// the last page).
struct CommentPage {
  std::vector<Comment> comments;
  std::int64_t next_cursor = 0;
};

/// The comment use cases: commenting on videos, deleting comments, listing them, counting
/// them per video, the most-commented videos, and forgetting the comments of a deleted
/// video. Changes are published to `events` after they commit. Thread-safe.
class CommentService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxTopVideos = 1000;

  CommentService(CommentRepository& repository, VideoDirectory& videos, events::EventSink& events,
                 const Clock& clock);

  /// Stores `content` (see NormalizeComment) as `user_id`'s comment on a video, publishes
  /// COMMENT_CREATED and returns it. Errors: COMMENT_INVALID (INVALID_ARGUMENT),
  /// VIDEO_NOT_FOUND (NOT_FOUND).
  Result<Comment> Create(std::int64_t user_id, std::int64_t video_id, std::string_view content);

  /// Deletes a comment on behalf of `user_id`, who must be its author or the author of the
  /// video it is on, publishes COMMENT_DELETED (actor `user_id`) and returns what was
  /// deleted. Errors: COMMENT_NOT_FOUND (NOT_FOUND), COMMENT_NOT_YOURS (PERMISSION_DENIED).
  Result<Comment> Delete(std::int64_t user_id, std::int64_t comment_id);

  /// A video's comments, newest first, with id < `cursor` (0: from the newest). `limit` is
  /// clamped to 1..kMaxPageSize, 0 meaning kDefaultPageSize. next_cursor is the last id
  /// when more comments follow, else 0. Errors: VIDEO_NOT_FOUND, CURSOR_INVALID (negative
  /// cursor).
  Result<CommentPage> List(std::int64_t video_id, std::int64_t cursor, int limit);

  /// Removes every comment of a video that was deleted, and its count; returns how many.
  /// Idempotent. Publishes nothing: the VIDEO_DELETED event that causes this says it.
  std::int64_t RemoveCommentsOfVideo(std::int64_t video_id);

  /// The most-commented videos (at least one comment), most first, equal counts newer id
  /// first. `limit` is clamped to 1..kMaxTopVideos.
  std::vector<VideoCommentCount> TopVideos(int limit);

  /// The comment count of every id in `video_ids` (0 for videos without comments or that
  /// do not exist).
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids);

 private:
  std::int64_t NowMs() const;

  CommentRepository& repository_;
  VideoDirectory& videos_;
  events::EventSink& events_;
  const Clock& clock_;
};

}  // namespace reel::comment
