#pragma once

#include "comment/domain/comment_repository.hpp"
#include "kit/db/database.hpp"
#include "kit/events/outbox.hpp"

namespace reel::comment {

/// CommentRepository over kit/db, the same code on SQLite and MariaDB (tables of
/// comment_migrations.cpp). Every change to comments and to video_comment_counts happens in
/// the same write transaction; the writes of one video's comments are serialised by its
/// count row's lock, taken first, so concurrent writers, in one process or several, keep the
/// counts equal to the visible rows. Thread-safe.
class SqlCommentRepository final : public CommentRepository {
 public:
  /// With an outbox, Create records COMMENT_CREATED and Delete COMMENT_DELETED in their
  /// transactions.
  explicit SqlCommentRepository(db::Database& db, const events::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}

  Result<Comment> Create(const NewComment& comment) override;
  std::optional<Comment> FindById(std::int64_t id) override;
  std::vector<Comment> FindMany(std::span<const std::int64_t> ids) override;
  Result<Comment> Delete(std::int64_t id) override;
  Result<Comment> SetHidden(std::int64_t id, bool hidden) override;
  std::int64_t RemoveCommentsOfVideo(std::int64_t video_id) override;
  std::vector<Comment> List(std::int64_t video_id, bool top_level_only, const CommentFilter& filter,
                            std::int64_t before_id, int limit) override;
  std::vector<Comment> ListReplies(std::int64_t parent_id, const CommentFilter& filter,
                                   std::int64_t after_id, int limit) override;
  std::unordered_map<std::int64_t, std::int64_t> CountReplies(
      std::span<const std::int64_t> parent_ids, const CommentFilter& filter) override;
  std::unordered_map<std::int64_t, std::int64_t> CountByVideos(
      std::span<const std::int64_t> video_ids) override;
  std::vector<VideoCommentCount> MostCommented(int limit) override;
  std::vector<CounterRepair> ReconcileCounters() override;

 private:
  db::Database& db_;
  const events::Outbox* outbox_;
};

}  // namespace reel::comment
