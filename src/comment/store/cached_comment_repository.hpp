#pragma once

#include "comment/domain/comment_repository.hpp"
#include "kit/cache/invalidating_cache.hpp"

namespace reel::comment {

/// CommentRepository that keeps each video's comment count (what CountByVideos returns,
/// which every page's video objects show) in memory, in front of another repository that
/// stores them. Videos without comments are cached as absent. Every write goes through here,
/// so each one invalidates exactly the count it moved, after its commit: Create the new
/// comment's video, a successful Delete or SetHidden that comment's video (its replies are
/// on the same video), RemoveCommentsOfVideo that video. Correct while this process is the only
/// writer of the store, which it is for the embedded store and the one comment process of a
/// cluster. Comments themselves, listings and the ranking are read through uncached.
class CachedCommentRepository final : public CommentRepository {
 public:
  /// `capacity`: videos whose counts are held.
  /// `writes`, when given, advances with every invalidation (see cache::ChangeEpoch).
  /// `shared`, when given, shares the counts with the deployment's other processes.
  CachedCommentRepository(CommentRepository& store, std::size_t capacity,
                          cache::ChangeEpoch* writes = nullptr, cache::SharedTier* shared = nullptr)
      : store_(store), counts_(capacity, writes, cache::CountShared(shared, "comment.counts")) {}

  Result<Comment> Create(const NewComment& comment) override;
  std::optional<Comment> FindById(std::int64_t id) override { return store_.FindById(id); }
  std::vector<Comment> FindMany(std::span<const std::int64_t> ids) override {
    return store_.FindMany(ids);
  }
  Result<Comment> Delete(std::int64_t id) override;
  Result<Comment> SetHidden(std::int64_t id, bool hidden) override;
  std::int64_t RemoveCommentsOfVideo(std::int64_t video_id) override;
  std::vector<Comment> List(std::int64_t video_id, bool top_level_only, const CommentFilter& filter,
                            std::int64_t before_id, int limit) override {
    return store_.List(video_id, top_level_only, filter, before_id, limit);
  }
  std::vector<Comment> ListReplies(std::int64_t parent_id, const CommentFilter& filter,
                                   std::int64_t after_id, int limit) override {
    return store_.ListReplies(parent_id, filter, after_id, limit);
  }
  std::unordered_map<std::int64_t, std::int64_t> CountReplies(
      std::span<const std::int64_t> parent_ids, const CommentFilter& filter) override {
    return store_.CountReplies(parent_ids, filter);
  }
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) override;
  std::vector<VideoCommentCount> MostCommented(int limit) override {
    return store_.MostCommented(limit);
  }
  /// Drops every cached count when the repair changed any: which ones is not known here.
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  CommentRepository& store_;
  cache::InvalidatingCache<std::int64_t, std::int64_t> counts_;
};

}  // namespace reel::comment
