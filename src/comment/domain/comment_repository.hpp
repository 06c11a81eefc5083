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
/// its stored comments. Implementations are thread-safe.
class CommentRepository {
 public:
  virtual ~CommentRepository() = default;

  /// Stores a comment and adds one to its video's count, atomically; returns the stored
  /// comment (id positive, below 2^53).
  virtual Comment Create(const NewComment& comment) = 0;

  virtual std::optional<Comment> FindById(std::int64_t id) = 0;

  /// Removes a comment and takes one from its video's count, atomically; returns what was
  /// removed. Errors: COMMENT_NOT_FOUND (NOT_FOUND), also when a concurrent delete won.
  virtual Result<Comment> Delete(std::int64_t id) = 0;

  /// Removes every comment of a video (it was deleted) and its count, atomically. Returns how
  /// many comments went: 0, and nothing changes, when there were none.
  virtual std::int64_t RemoveCommentsOfVideo(std::int64_t video_id) = 0;

  /// The comments of a video with id < before_id (0: no bound), newest (highest id) first.
  virtual std::vector<Comment> List(std::int64_t video_id, std::int64_t before_id, int limit) = 0;

  /// Comment counts of the videos among `video_ids` that have any (others are absent).
  virtual std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) = 0;

  /// Videos with at least one comment, most comments first, equal counts higher video id
  /// first; at most `limit` (positive).
  virtual std::vector<VideoCommentCount> MostCommented(int limit) = 0;
};

}  // namespace reel::comment
