#include "favorite/store/favorite_migrations.hpp"

namespace reel::favorite {
namespace {

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
)sql"},
    {2, "indexes for deleting a video's likes and ranking videos by likes", R"sql(
-- A deleted video's likes are found by video, which UNIQUE (user_id, video_id) cannot serve.
CREATE INDEX favorites_by_video ON favorites (video_id);
-- The most-liked ranking reads this index from its high end: no sort, no table scan.
CREATE INDEX video_favorite_counts_by_count ON video_favorite_counts (favorite_count, video_id);
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
)sql"},
};

}  // namespace

std::span<const db::Migration> FavoriteMigrations() {
  return kMigrations;
}

}  // namespace reel::favorite
