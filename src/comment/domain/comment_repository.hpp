#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "comment/domain/comment.hpp"
#include "kit/status/status.hpp"

namespace reel::comment {

/// Storage of comments and of each video's comment count, which always equals the number of
/// its visible stored comments: those not hidden whose top-level comment (for a reply) is not
/// hidden either. Implementations are thread-safe.
class CommentRepository {
 public:
  virtual ~CommentRepository() = default;

  /// Stores a comment and adds it to its video's count when visible, atomically; returns the
  /// stored comment (id positive, below 2^53). A reply is stored only if, in the same
  /// transaction, the comment it answers and its parent still exist on the same video, so no
  /// reply outlives a parent deleted meanwhile. Errors: COMMENT_NOT_FOUND (NOT_FOUND).
  virtual Result<Comment> Create(const NewComment& comment) = 0;

  virtual std::optional<Comment> FindById(std::int64_t id) = 0;

  /// The comments among `ids` that exist, in the order of `ids` (hidden ones included).
  virtual std::vector<Comment> FindMany(std::span<const std::int64_t> ids) = 0;

  /// Removes a comment (a top-level one with all its replies) and takes what was visible of
  /// them from its video's count, atomically; returns what was removed (the comment named).
  /// Errors: COMMENT_NOT_FOUND (NOT_FOUND), also when a concurrent delete won.
  virtual Result<Comment> Delete(std::int64_t id) = 0;

  /// Hides or shows a comment and moves its video's count by what became (in)visible (a
  /// top-level comment takes its visible replies with it), atomically; returns the comment
  /// as it is now. Unchanged when it already was so. Errors: COMMENT_NOT_FOUND.
  virtual Result<Comment> SetHidden(std::int64_t id, bool hidden) = 0;

  /// Removes every comment of a video (it was deleted) and its count, atomically. Returns how
  /// many comments went: 0, and nothing changes, when there were none.
  virtual std::int64_t RemoveCommentsOfVideo(std::int64_t video_id) = 0;

  /// The comments of a video with id < before_id (0: no bound), newest (highest id) first,
  /// that `filter` lets through; only top-level ones when `top_level_only`.
  virtual std::vector<Comment> List(std::int64_t video_id, bool top_level_only,
                                    const CommentFilter& filter, std::int64_t before_id,
                                    int limit) = 0;

  /// The replies under top-level comment `parent_id` with id > after_id, oldest first, that
  /// `filter` lets through.
  virtual std::vector<Comment> ListReplies(std::int64_t parent_id, const CommentFilter& filter,
                                           std::int64_t after_id, int limit) = 0;

  /// How many replies `filter` lets through under each of `parent_ids` (absent: none).
  virtual std::unordered_map<std::int64_t, std::int64_t> CountReplies(
      std::span<const std::int64_t> parent_ids, const CommentFilter& filter) = 0;

  /// Comment counts of the videos among `video_ids` that have any (others are absent).
  virtual std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) = 0;

  /// Videos with at least one comment, most comments first, equal counts higher video id
  /// first; at most `limit` (positive).
  virtual std::vector<VideoCommentCount> MostCommented(int limit) = 0;

  /// Sets every video_comment_counts.comment_count that differs from the number of the
  /// video's visible comments (see the class comment) to that number, and creates the
  /// missing count row of every video that has comments (the row whose lock serialises a
  /// video's writes), in one write transaction. Idempotent: a second run fixes nothing.
  virtual std::vector<CounterRepair> ReconcileCounters() = 0;
};

}  // namespace reel::comment
