#include "comment/store/comment_migrations.hpp"

namespace reel::comment {
namespace {

// Each migration in both dialects (the MySQL text: BIGINT for INTEGER, AUTO_INCREMENT for
// AUTOINCREMENT, InnoDB tables in utf8mb4_nopad_bin; run statement by statement, so its
// comments hold no semicolons or quotes).
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
)sql",
     R"sql(
CREATE TABLE comments (
  -- InnoDB keeps the AUTO_INCREMENT counter across restarts (MariaDB 10.2.4 and later), so
  -- here too a deleted comment id is never reused and stays a valid cursor.
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  video_id      BIGINT NOT NULL,
  user_id       BIGINT NOT NULL,
  content       TEXT   NOT NULL,
  created_at_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX comments_by_video ON comments (video_id, id);
CREATE TABLE video_comment_counts (
  video_id      BIGINT NOT NULL PRIMARY KEY,
  comment_count BIGINT NOT NULL CHECK (comment_count >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
    {2, "index ranking videos by comments", R"sql(
-- The most-commented ranking reads this index from its high end: no sort, no table scan.
CREATE INDEX video_comment_counts_by_count ON video_comment_counts (comment_count, video_id);
)sql",
     R"sql(
-- Read backwards by MostCommented (InnoDB scans an ascending index in reverse, no filesort).
CREATE INDEX video_comment_counts_by_count ON video_comment_counts (comment_count, video_id)
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
)sql",
     R"sql(
-- One ALTER for the four columns: existing rows read the defaults, top-level and visible.
ALTER TABLE comments
  ADD COLUMN parent_id           BIGINT  NOT NULL DEFAULT 0,
  ADD COLUMN reply_to_user_id    BIGINT  NOT NULL DEFAULT 0,
  ADD COLUMN reply_to_comment_id BIGINT  NOT NULL DEFAULT 0,
  ADD COLUMN hidden              TINYINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
CREATE INDEX comments_top_level ON comments (video_id, parent_id, id);
CREATE INDEX comments_by_parent ON comments (parent_id, id)
)sql"},
};

}  // namespace

std::span<const db::Migration> CommentMigrations() {
  return kMigrations;
}

}  // namespace reel::comment
