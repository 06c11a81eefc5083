#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "comment/domain/block_list.hpp"
#include "comment/domain/comment.hpp"
#include "comment/domain/comment_repository.hpp"
#include "comment/domain/video_directory.hpp"
#include "kit/clock/clock.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/status/status.hpp"

namespace reel::comment {

/// A page of comments and the cursor of the next page (0: this is the last page). Each
/// entry is a thread: reply_count and first_replies are filled only for top-level listings.
struct CommentPage {
  std::vector<CommentThread> comments;
  std::int64_t next_cursor = 0;
};

/// A page of one comment's replies, oldest first, and the cursor of the next (0: the last).
struct ReplyPage {
  std::vector<Comment> replies;
  std::int64_t next_cursor = 0;
};

/// The comment use cases: commenting on videos and replying to comments, deleting them,
/// listing them (threads, replies), hiding them (moderation), counting them per video, the
/// most-commented videos, and forgetting the comments of a deleted video. The repository
/// records a change's event with it; `committed` publishes it after the commit. Thread-safe.
///
/// Visibility: a hidden comment is listed to its author only, and a reply under a hidden
/// top-level comment only where that comment is; neither counts in comment_count, which
/// counts every other comment, replies included (as Douyin does). A viewer's lists leave
/// out the comments of users the viewer blocked.
class CommentService {
 public:
  static constexpr int kDefaultPageSize = 30;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxTopVideos = 1000;
  static constexpr int kFirstReplies = 3;  // replies shown under each top-level comment
  static constexpr int kMaxGetComments = 100;

  CommentService(CommentRepository& repository, VideoDirectory& videos, BlockList& blocks,
                 const events::CommitHook& committed, const Clock& clock);

  /// Stores `content` (see NormalizeComment) as `user_id`'s comment on a video (parent_id
  /// 0) or reply to comment `parent_id` of that video, publishes COMMENT_CREATED and returns
  /// it. A reply to a reply sits under the same top-level comment and names the reply it
  /// answers. Errors: COMMENT_INVALID (INVALID_ARGUMENT), VIDEO_NOT_FOUND (NOT_FOUND; also
  /// a video the user may not see), COMMENT_NOT_FOUND (the parent: missing, on another
  /// video, or hidden from the user), BLOCKED (PERMISSION_DENIED: the video's author, or the
  /// author of the comment answered, blocked the user).
  Result<Comment> Create(std::int64_t user_id, std::int64_t video_id, std::string_view content,
                         std::int64_t parent_id = 0);

  /// Deletes a comment (a top-level one with its replies) on behalf of `user_id`, who must
  /// be its author or the author of the video it is on, publishes COMMENT_DELETED (actor
  /// `user_id`) and returns what was deleted. Errors: COMMENT_NOT_FOUND (NOT_FOUND),
  /// COMMENT_NOT_YOURS (PERMISSION_DENIED).
  Result<Comment> Delete(std::int64_t user_id, std::int64_t comment_id);

  /// A video's comments as `viewer_id` (0: anonymous) sees them, newest first, with id <
  /// `cursor` (0: from the newest); top-level ones with their reply counts and first
  /// replies when `top_level_only`, else every comment. `limit` is clamped to
  /// 1..kMaxPageSize, 0 meaning kDefaultPageSize. next_cursor is the last id when more
  /// follow, else 0. Errors: VIDEO_NOT_FOUND, CURSOR_INVALID (negative cursor).
  Result<CommentPage> List(std::int64_t video_id, std::int64_t cursor, int limit,
                           bool top_level_only = false, std::int64_t viewer_id = 0);

  /// The replies under top-level comment `comment_id` as `viewer_id` sees them, oldest
  /// first, with id > `cursor`; limit and next_cursor as for List. Errors:
  /// COMMENT_NOT_FOUND (missing, a reply, hidden from the viewer, or on a video the viewer
  /// may not see), CURSOR_INVALID.
  Result<ReplyPage> ListReplies(std::int64_t comment_id, std::int64_t cursor, int limit,
                                std::int64_t viewer_id);

  /// The comments among `ids` that exist, hidden ones included (moderation's queue), in the
  /// order asked. Errors: PARAM_INVALID (more than kMaxGetComments ids).
  Result<std::vector<Comment>> GetComments(std::span<const std::int64_t> ids);

  /// Hides or shows a comment (moderation); counts stay exact. Idempotent. Errors:
  /// COMMENT_NOT_FOUND.
  Result<Comment> SetHidden(std::int64_t comment_id, bool hidden);

  /// Removes every comment of a video that was deleted, and its count; returns how many.
  /// Idempotent. Publishes nothing: the VIDEO_DELETED event that causes this says it.
  std::int64_t RemoveCommentsOfVideo(std::int64_t video_id);

  /// Repairs the comment counts that drifted from the visible comments (see
  /// CommentRepository::ReconcileCounters). Idempotent.
  std::vector<CounterRepair> ReconcileCounters();

  /// The most-commented videos (at least one comment), most first, equal counts newer id
  /// first. `limit` is clamped to 1..kMaxTopVideos.
  std::vector<VideoCommentCount> TopVideos(int limit);

  /// The comment count of every id in `video_ids` (0 for videos without comments or that
  /// do not exist).
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids);

 private:
  std::int64_t NowMs() const;
  Result<CommentFilter> FilterFor(std::int64_t viewer_id);
  Status MayComment(std::int64_t user_id, std::int64_t video_author, const Comment* answered);

  CommentRepository& repository_;
  VideoDirectory& videos_;
  BlockList& blocks_;
  const events::CommitHook& committed_;
  const Clock& clock_;
};

}  // namespace reel::comment
