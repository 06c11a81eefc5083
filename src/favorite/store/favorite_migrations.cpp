#include "favorite/store/favorite_migrations.hpp"

namespace reel::favorite {
namespace {

// Each migration in both dialects (the MySQL text: BIGINT for INTEGER, AUTO_INCREMENT for
// AUTOINCREMENT, InnoDB tables in utf8mb4_nopad_bin; run statement by statement, so its comments
// hold no semicolons or quotes).
constexpr db::Migration kMigrations[] = {
    {1, "favorites and their counters", R"sql(
CREATE TABLE favorites (
  -- Increasing with time: orders a user's liked list and serves as its cursor.
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id       INTEGER NOT NULL,
  video_id      INTEGER NOT NULL,
  -- The video's author when liked, so an unlike takes the like back from the same author.
  author_id     INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (user_id, video_id)
);
-- A user's liked list, newest first. "Which of these did the viewer like" uses the
-- UNIQUE (user_id, video_id) index.
CREATE INDEX favorites_by_user ON favorites (user_id, id);

-- Counters kept in the transaction that changes favorites, so reads are one lookup and
-- always equal the rows. A counter below zero would mean a lost update: refuse it.
CREATE TABLE video_favorite_counts (
  video_id       INTEGER PRIMARY KEY,
  favorite_count INTEGER NOT NULL CHECK (favorite_count >= 0)
);
CREATE TABLE user_favorite_counts (
  user_id         INTEGER PRIMARY KEY,
  favorite_count  INTEGER NOT NULL DEFAULT 0 CHECK (favorite_count >= 0),  -- videos they like
  total_favorited INTEGER NOT NULL DEFAULT 0 CHECK (total_favorited >= 0)  -- likes received
);
)sql",
     R"sql(
CREATE TABLE favorites (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT NOT NULL,
  video_id      BIGINT NOT NULL,
  author_id     BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE KEY favorites_user_video (user_id, video_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- InnoDB appends the primary key to every secondary index anyway, kept explicit as in SQLite.
CREATE INDEX favorites_by_user ON favorites (user_id, id);
CREATE TABLE video_favorite_counts (
  video_id       BIGINT NOT NULL PRIMARY KEY,
  favorite_count BIGINT NOT NULL CHECK (favorite_count >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE user_favorite_counts (
  user_id         BIGINT NOT NULL PRIMARY KEY,
  favorite_count  BIGINT NOT NULL DEFAULT 0 CHECK (favorite_count >= 0),
  total_favorited BIGINT NOT NULL DEFAULT 0 CHECK (total_favorited >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
    {2, "indexes for deleting a video's likes and ranking videos by likes", R"sql(
-- A deleted video's likes are found by video, which UNIQUE (user_id, video_id) cannot serve.
CREATE INDEX favorites_by_video ON favorites (video_id);
-- The most-liked ranking reads this index from its high end: no sort, no table scan.
CREATE INDEX video_favorite_counts_by_count ON video_favorite_counts (favorite_count, video_id);
)sql",
     R"sql(
CREATE INDEX favorites_by_video ON favorites (video_id);
-- Read backwards by MostLiked (InnoDB scans an ascending index in reverse, no filesort).
CREATE INDEX video_favorite_counts_by_count ON video_favorite_counts (favorite_count, video_id)
)sql"},
    {3, "bookmarks, shares, their counters and the collection setting (issue 16)", R"sql(
-- Bookmarks (收藏): distinct from likes. The id increases with time: it orders a user's
-- collection list and serves as its cursor.
CREATE TABLE bookmarks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id       INTEGER NOT NULL,
  video_id      INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (user_id, video_id)
);
CREATE INDEX bookmarks_by_user ON bookmarks (user_id, id);
CREATE INDEX bookmarks_by_video ON bookmarks (video_id);

-- The latest UTC day (days since 1970) on which each user shared each video: the primary
-- key is what lets a share count at most once a day, and serves deleting a video's.
CREATE TABLE shares (
  video_id INTEGER NOT NULL,
  user_id  INTEGER NOT NULL,
  day      INTEGER NOT NULL,
  PRIMARY KEY (video_id, user_id, day)
) WITHOUT ROWID;

-- Kept in the transaction that changes bookmarks or shares; no row reads as zero, so the
-- videos that exist already need none.
CREATE TABLE video_collection_counts (
  video_id      INTEGER PRIMARY KEY,
  collect_count INTEGER NOT NULL DEFAULT 0 CHECK (collect_count >= 0),
  share_count   INTEGER NOT NULL DEFAULT 0 CHECK (share_count >= 0)
);

-- Whether a user's collection list is public; no row: private (the default).
CREATE TABLE collection_settings (
  user_id            INTEGER PRIMARY KEY,
  collections_public INTEGER NOT NULL CHECK (collections_public IN (0, 1))
);
)sql",
     R"sql(
CREATE TABLE bookmarks (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT NOT NULL,
  video_id      BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  UNIQUE KEY bookmarks_user_video (user_id, video_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX bookmarks_by_user ON bookmarks (user_id, id);
CREATE INDEX bookmarks_by_video ON bookmarks (video_id);
-- WITHOUT ROWID in SQLite. InnoDB always clusters a table by its primary key.
CREATE TABLE shares (
  video_id BIGINT NOT NULL,
  user_id  BIGINT NOT NULL,
  day      BIGINT NOT NULL,
  PRIMARY KEY (video_id, user_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE video_collection_counts (
  video_id      BIGINT NOT NULL PRIMARY KEY,
  collect_count BIGINT NOT NULL DEFAULT 0 CHECK (collect_count >= 0),
  share_count   BIGINT NOT NULL DEFAULT 0 CHECK (share_count >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE collection_settings (
  user_id            BIGINT NOT NULL PRIMARY KEY,
  collections_public BIGINT NOT NULL CHECK (collections_public IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
};

}  // namespace

std::span<const db::Migration> FavoriteMigrations() {
  return kMigrations;
}

}  // namespace reel::favorite
