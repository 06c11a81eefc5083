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
    {3, "replies and moderation's hidden flag", R"sql(
-- Replies (issue 16): parent_id is the top-level comment a reply sits under, reply_to_* the
-- comment it answers and its author; 0 on top-level comments, which every existing row is.
ALTER TABLE comments ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN reply_to_user_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN reply_to_comment_id INTEGER NOT NULL DEFAULT 0;
-- Hidden by moderation. Existing rows are visible, so the stored counts stay right.
ALTER TABLE comments ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
-- The /api list pages a video's top-level comments; the replies list pages one comment's.
CREATE INDEX comments_top_level ON comments (video_id, parent_id, id);
CREATE INDEX comments_by_parent ON comments (parent_id, id);
)sql"},
};

}  // namespace

std::span<const db::Migration> CommentMigrations() {
  return kMigrations;
}

}  // namespace reel::comment
