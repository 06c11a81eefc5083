#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

// Each migration in both dialects (the MySQL text: BIGINT for INTEGER, AUTO_INCREMENT for
// AUTOINCREMENT, VARCHAR where SQLite's TEXT is a key, InnoDB tables in utf8mb4_nopad_bin,
// which compares bytes as SQLite does; run statement by statement, so its comments hold no
// semicolons or quotes).
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
)sql",
     R"sql(
CREATE TABLE media_objects (
  sha256        VARCHAR(64)   NOT NULL PRIMARY KEY,
  media_key     VARCHAR(255)  NOT NULL,
  cover_key     VARCHAR(255)  NOT NULL,
  size_bytes    BIGINT        NOT NULL,
  width         BIGINT        NOT NULL,
  height        BIGINT        NOT NULL,
  duration_ms   BIGINT        NOT NULL,
  codec         VARCHAR(64)   NOT NULL,
  created_at_ms BIGINT        NOT NULL,
  UNIQUE KEY media_objects_key (media_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE videos (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  author_id     BIGINT        NOT NULL,
  title         VARCHAR(400)  NOT NULL,
  description   TEXT          NOT NULL DEFAULT '',
  media_key     VARCHAR(255)  NOT NULL,
  created_at_ms BIGINT        NOT NULL,
  UNIQUE KEY videos_created_at (created_at_ms),
  CONSTRAINT videos_media FOREIGN KEY (media_key) REFERENCES media_objects (media_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX videos_by_author ON videos (author_id, created_at_ms)
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
)sql",
     R"sql(
CREATE TABLE video_tags (
  video_id BIGINT       NOT NULL,
  position BIGINT       NOT NULL,
  tag      VARCHAR(128) NOT NULL,
  PRIMARY KEY (video_id, position),
  UNIQUE KEY video_tags_video_tag (video_id, tag),
  CONSTRAINT video_tags_video FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX video_tags_by_tag ON video_tags (tag, video_id)
)sql"},
    {3, "videos per author", R"sql(
-- Each author's number of videos, so a profile's or a feed author's work count is one row
-- read, not a count over the author's videos (20k rows for a prolific author at 1M
-- videos). Triggers keep it, in the same transaction as the change, for every insert,
-- delete and change of author, whatever path writes the videos table. Rows at zero stay.
CREATE TABLE author_video_counts (
  author_id   INTEGER PRIMARY KEY,
  video_count INTEGER NOT NULL CHECK (video_count >= 0)
);
INSERT INTO author_video_counts (author_id, video_count)
  SELECT author_id, COUNT(*) FROM videos GROUP BY author_id;
CREATE TRIGGER videos_count_insert AFTER INSERT ON videos BEGIN
  INSERT INTO author_video_counts (author_id, video_count) VALUES (NEW.author_id, 1)
    ON CONFLICT (author_id) DO UPDATE SET video_count = video_count + 1;
END;
CREATE TRIGGER videos_count_delete AFTER DELETE ON videos BEGIN
  UPDATE author_video_counts SET video_count = video_count - 1 WHERE author_id = OLD.author_id;
END;
CREATE TRIGGER videos_count_author_change AFTER UPDATE OF author_id ON videos
  WHEN NEW.author_id IS NOT OLD.author_id BEGIN
  UPDATE author_video_counts SET video_count = video_count - 1 WHERE author_id = OLD.author_id;
  INSERT INTO author_video_counts (author_id, video_count) VALUES (NEW.author_id, 1)
    ON CONFLICT (author_id) DO UPDATE SET video_count = video_count + 1;
END;
)sql",
     R"sql(
-- SQLite keeps the counters with triggers until migration 6. Here the repository does from
-- the start (creating triggers needs a privilege services do not have).
CREATE TABLE author_video_counts (
  author_id   BIGINT NOT NULL PRIMARY KEY,
  video_count BIGINT NOT NULL CHECK (video_count >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO author_video_counts (author_id, video_count)
  SELECT author_id, COUNT(*) FROM videos GROUP BY author_id
)sql"},
    {4, "who uploaded which media", R"sql(
-- A row per user and media object they uploaded: only they may publish it, and a pending
-- (unpublished) upload keeps the object until it expires. An object no video uses and no
-- unexpired pending upload names is removed with its files.
CREATE TABLE media_uploads (
  user_id        INTEGER NOT NULL,
  sha256         TEXT    NOT NULL REFERENCES media_objects (sha256),
  uploaded_at_ms INTEGER NOT NULL,
  published      INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  PRIMARY KEY (user_id, sha256)
) WITHOUT ROWID;
-- Whether anyone still needs an object, and the expiry sweep's oldest pending uploads.
CREATE INDEX media_uploads_by_object ON media_uploads (sha256);
CREATE INDEX media_uploads_pending ON media_uploads (uploaded_at_ms) WHERE published = 0;
-- Whether any video (or this author's) uses an object.
CREATE INDEX videos_by_media ON videos (media_key, author_id);
-- Objects stored before this table: their videos' authors uploaded them (they may publish
-- them again); an object no video uses is a pending upload of nobody's (user 0), made when
-- the object was, so it expires as one.
INSERT INTO media_uploads (user_id, sha256, uploaded_at_ms, published)
  SELECT DISTINCT v.author_id, m.sha256, m.created_at_ms, 1
  FROM videos v JOIN media_objects m ON m.media_key = v.media_key;
INSERT INTO media_uploads (user_id, sha256, uploaded_at_ms, published)
  SELECT 0, m.sha256, m.created_at_ms, 0 FROM media_objects m
  WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.media_key = m.media_key);
)sql",
     R"sql(
CREATE TABLE media_uploads (
  user_id        BIGINT      NOT NULL,
  sha256         VARCHAR(64) NOT NULL,
  uploaded_at_ms BIGINT      NOT NULL,
  published      BIGINT      NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  PRIMARY KEY (user_id, sha256),
  CONSTRAINT media_uploads_object FOREIGN KEY (sha256) REFERENCES media_objects (sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX media_uploads_by_object ON media_uploads (sha256);
-- No partial indexes in MariaDB: the pending uploads lead the index instead.
CREATE INDEX media_uploads_pending ON media_uploads (published, uploaded_at_ms);
CREATE INDEX videos_by_media ON videos (media_key, author_id);
INSERT INTO media_uploads (user_id, sha256, uploaded_at_ms, published)
  SELECT DISTINCT v.author_id, m.sha256, m.created_at_ms, 1
  FROM videos v JOIN media_objects m ON m.media_key = v.media_key;
INSERT INTO media_uploads (user_id, sha256, uploaded_at_ms, published)
  SELECT 0, m.sha256, m.created_at_ms, 0 FROM media_objects m
  WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.media_key = m.media_key)
)sql"},
    {5, "visibility, moderation and provenance", R"sql(
-- Issue 16. Videos stored before are public, approved and original.
ALTER TABLE videos ADD COLUMN is_public INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1));
ALTER TABLE videos ADD COLUMN audit_status TEXT NOT NULL DEFAULT 'approved'
  CHECK (audit_status IN ('approved', 'pending', 'rejected'));
ALTER TABLE videos ADD COLUMN audit_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN is_original INTEGER NOT NULL DEFAULT 1 CHECK (is_original IN (0, 1));
ALTER TABLE videos ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
-- What everyone sees: the latest feed and others' publish lists read only these rows, so
-- partial indexes over them serve those pages without stepping over hidden videos. The
-- WHERE clauses must match the queries' literally.
CREATE INDEX videos_visible ON videos (created_at_ms)
  WHERE is_public = 1 AND audit_status = 'approved';
CREATE INDEX videos_visible_by_author ON videos (author_id, created_at_ms)
  WHERE is_public = 1 AND audit_status = 'approved';
-- The review queues, oldest first: partial, so they hold only the few videos under review
-- and the planner never walks them for the visible ones.
CREATE INDEX videos_pending ON videos (id) WHERE audit_status = 'pending';
CREATE INDEX videos_rejected ON videos (id) WHERE audit_status = 'rejected';
-- Each author's visible videos next to all of them (what others see of their count). The
-- triggers of migration 3 are replaced by ones that keep both.
ALTER TABLE author_video_counts ADD COLUMN visible_count INTEGER NOT NULL DEFAULT 0
  CHECK (visible_count >= 0);
UPDATE author_video_counts SET visible_count = (SELECT COUNT(*) FROM videos v
  WHERE v.author_id = author_video_counts.author_id AND v.is_public = 1
  AND v.audit_status = 'approved');
DROP TRIGGER videos_count_insert;
DROP TRIGGER videos_count_delete;
DROP TRIGGER videos_count_author_change;
CREATE TRIGGER videos_count_insert AFTER INSERT ON videos BEGIN
  INSERT INTO author_video_counts (author_id, video_count, visible_count)
    VALUES (NEW.author_id, 1, NEW.is_public = 1 AND NEW.audit_status = 'approved')
    ON CONFLICT (author_id) DO UPDATE SET video_count = video_count + 1,
      visible_count = visible_count + (NEW.is_public = 1 AND NEW.audit_status = 'approved');
END;
CREATE TRIGGER videos_count_delete AFTER DELETE ON videos BEGIN
  UPDATE author_video_counts SET video_count = video_count - 1,
    visible_count = visible_count - (OLD.is_public = 1 AND OLD.audit_status = 'approved')
    WHERE author_id = OLD.author_id;
END;
CREATE TRIGGER videos_count_change AFTER UPDATE OF author_id, is_public, audit_status ON videos
  WHEN NEW.author_id IS NOT OLD.author_id OR NEW.is_public IS NOT OLD.is_public
    OR NEW.audit_status IS NOT OLD.audit_status BEGIN
  UPDATE author_video_counts SET video_count = video_count - 1,
    visible_count = visible_count - (OLD.is_public = 1 AND OLD.audit_status = 'approved')
    WHERE author_id = OLD.author_id;
  INSERT INTO author_video_counts (author_id, video_count, visible_count)
    VALUES (NEW.author_id, 1, NEW.is_public = 1 AND NEW.audit_status = 'approved')
    ON CONFLICT (author_id) DO UPDATE SET video_count = video_count + 1,
      visible_count = visible_count + (NEW.is_public = 1 AND NEW.audit_status = 'approved');
END;
)sql",
     R"sql(
ALTER TABLE videos ADD COLUMN is_public BIGINT NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1));
ALTER TABLE videos ADD COLUMN audit_status VARCHAR(16) NOT NULL DEFAULT 'approved'
  CHECK (audit_status IN ('approved', 'pending', 'rejected'));
ALTER TABLE videos ADD COLUMN audit_reason VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN is_original BIGINT NOT NULL DEFAULT 1 CHECK (is_original IN (0, 1));
ALTER TABLE videos ADD COLUMN source_url VARCHAR(2048) NOT NULL DEFAULT '';
-- The partial indexes of SQLite become composite ones with the visibility columns leading:
-- the queries fix both by equality, then range over (and order by) the time.
CREATE INDEX videos_visible ON videos (is_public, audit_status, created_at_ms);
CREATE INDEX videos_visible_by_author ON videos (author_id, is_public, audit_status, created_at_ms);
-- The review queues: one index, the state first, serves both.
CREATE INDEX videos_by_audit ON videos (audit_status, id);
ALTER TABLE author_video_counts ADD COLUMN visible_count BIGINT NOT NULL DEFAULT 0
  CHECK (visible_count >= 0);
UPDATE author_video_counts SET visible_count = (SELECT COUNT(*) FROM videos v
  WHERE v.author_id = author_video_counts.author_id AND v.is_public = 1
  AND v.audit_status = 'approved')
)sql"},
    {6, "counters kept by the repository, and the rows writers lock", R"sql(
-- Issue 18. The repository keeps author_video_counts itself, in the transaction of each
-- change, on both engines (MariaDB services may not create triggers), so the triggers go.
DROP TRIGGER videos_count_insert;
DROP TRIGGER videos_count_delete;
DROP TRIGGER videos_count_change;
-- One row every publish updates before it reads the newest time, so publishes on MariaDB
-- (READ COMMITTED, several writers) take distinct increasing times one after the other.
CREATE TABLE publish_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1)
);
INSERT INTO publish_lock (id) VALUES (1);
-- A row per uploader, written by each upload before it counts the user's quota, so a
-- user's concurrent uploads count each other.
CREATE TABLE upload_locks (
  user_id INTEGER PRIMARY KEY
);
)sql",
     R"sql(
CREATE TABLE publish_lock (
  id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO publish_lock (id) VALUES (1);
CREATE TABLE upload_locks (
  user_id BIGINT NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
    {7, "blob deletions to retry", R"sql(
-- Issue 19. A media file whose deletion failed (the object store down or timing out) with
-- no row naming it any more: the media sweep deletes it later, unless an upload of the same
-- bytes has made it an object again. failed_at_ms is the latest failure, so the sweep tries
-- the longest waiting first and one that keeps failing goes to the back.
CREATE TABLE blob_deletions (
  media_key    TEXT    PRIMARY KEY,
  sha256       TEXT    NOT NULL,
  failed_at_ms INTEGER NOT NULL,
  attempts     INTEGER NOT NULL CHECK (attempts >= 1)
) WITHOUT ROWID;
CREATE INDEX blob_deletions_by_time ON blob_deletions (failed_at_ms);
)sql",
     R"sql(
CREATE TABLE blob_deletions (
  media_key    VARCHAR(255) NOT NULL PRIMARY KEY,
  sha256       VARCHAR(64)  NOT NULL,
  failed_at_ms BIGINT       NOT NULL,
  attempts     BIGINT       NOT NULL CHECK (attempts >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX blob_deletions_by_time ON blob_deletions (failed_at_ms)
)sql"},
};

}  // namespace

std::span<const db::Migration> VideoMigrations() {
  return kMigrations;
}

}  // namespace reel::video
