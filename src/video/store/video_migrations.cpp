#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

constexpr db::Migration kMigrations[] = {
    {1, "media objects and videos", R"sql(
CREATE TABLE media_objects (
  sha256        TEXT    PRIMARY KEY,
  media_key     TEXT    NOT NULL UNIQUE,
  cover_key     TEXT    NOT NULL,
  size_bytes    INTEGER NOT NULL,
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  duration_ms   INTEGER NOT NULL,
  codec         TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE videos (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id     INTEGER NOT NULL,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL DEFAULT '',
  media_key     TEXT    NOT NULL REFERENCES media_objects (media_key),
  -- Unique, so the feed's time cursor names exactly one position.
  created_at_ms INTEGER NOT NULL UNIQUE
);
CREATE INDEX videos_by_author ON videos (author_id, created_at_ms);
)sql"},
    {2, "video tags", R"sql(
-- A row per tag, in the author's order; tags go with their video.
CREATE TABLE video_tags (
  video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  tag      TEXT    NOT NULL,
  PRIMARY KEY (video_id, position),
  UNIQUE (video_id, tag)
) WITHOUT ROWID;
-- Videos by tag, for browsing a tag later.
CREATE INDEX video_tags_by_tag ON video_tags (tag, video_id);
)sql"},
};

}  // namespace

std::span<const db::Migration> VideoSqliteMigrations() {
  return kMigrations;
}

}  // namespace reel::video
