#include "comment/store/comment_migrations.hpp"

namespace reel::comment {
namespace {

constexpr db::Migration kMigrations[] = {
    {1, "comments and per-video comment counts", R"sql(
CREATE TABLE comments (
  -- AUTOINCREMENT: ids are never reused, so a deleted comment's id stays a valid cursor.
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  video_id      INTEGER NOT NULL,
  user_id       INTEGER NOT NULL,
  content       TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX comments_by_video ON comments (video_id, id);
-- Kept in step with comments in the same transactions, so counting is one row per video.
CREATE TABLE video_comment_counts (
  video_id      INTEGER PRIMARY KEY,
  comment_count INTEGER NOT NULL CHECK (comment_count >= 0)
);
)sql"},
    {2, "index ranking videos by comments", R"sql(
-- The most-commented ranking reads this index from its high end: no sort, no table scan.
CREATE INDEX video_comment_counts_by_count ON video_comment_counts (comment_count, video_id);
)sql"},
};

}  // namespace

std::span<const db::Migration> CommentSqliteMigrations() {
  return kMigrations;
}

}  // namespace reel::comment
