#include "video/store/sqlite_video_repository.hpp"

#include <limits>
#include <set>
#include <string>
#include <unordered_map>

#include "video/domain/publish_policy.hpp"

namespace reel::video {
namespace {

constexpr std::string_view kMediaColumns =
    "sha256, media_key, cover_key, size_bytes, width, height, duration_ms, codec, created_at_ms";

// Videos joined with their media object for the cover and the picture size.
constexpr std::string_view kVideoSelect =
    "SELECT v.id, v.author_id, v.title, v.description, v.media_key, m.cover_key, m.width, "
    "m.height, m.duration_ms, v.created_at_ms, v.is_public, v.audit_status, v.audit_reason, "
    "v.is_original, v.source_url FROM videos v JOIN media_objects m ON m.media_key = v.media_key";

// Visible to everyone; literally the partial indexes' WHERE clause, so SQLite uses them.
constexpr std::string_view kVisible = "v.is_public = 1 AND v.audit_status = 'approved'";

MediaObject ReadMedia(const db::Statement& row) {
  return MediaObject{row.Text(0),
                     row.Text(1),
                     row.Text(2),
                     static_cast<std::uint64_t>(row.Int(3)),
                     static_cast<int>(row.Int(4)),
                     static_cast<int>(row.Int(5)),
                     row.Int(6),
                     row.Text(7),
                     row.Int(8)};
}

AuditStatus AuditStatusOf(std::string_view name) {
  if (name == "pending") return AuditStatus::kPending;
  if (name == "rejected") return AuditStatus::kRejected;
  return AuditStatus::kApproved;
}

Video ReadVideo(const db::Statement& row) {
  return Video{row.Int(0),
               row.Int(1),
               row.Text(2),
               row.Text(3),
               row.Text(4),
               row.Text(5),
               static_cast<int>(row.Int(6)),
               static_cast<int>(row.Int(7)),
               row.Int(8),
               row.Int(9),
               {},
               row.Int(10) != 0,
               AuditStatusOf(row.Text(11)),
               row.Text(12),
               row.Int(13) != 0,
               row.Text(14)};
}

std::string JsonIds(std::span<const std::int64_t> ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

std::int64_t UpperBound(std::int64_t before_ms) {
  return before_ms > 0 ? before_ms : std::numeric_limits<std::int64_t>::max();
}

// Fills in the tags of `videos` with one query for the whole page.
void AttachTags(db::Connection& conn, std::vector<Video>& videos) {
  if (videos.empty()) return;
  std::vector<std::int64_t> ids;
  std::unordered_map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < videos.size(); ++i) {
    ids.push_back(videos[i].id);
    at.emplace(videos[i].id, i);
  }
  auto rows = conn.Prepare(
      "SELECT video_id, tag FROM video_tags WHERE video_id IN (SELECT value FROM json_each(?)) "
      "ORDER BY video_id, position");
  rows.BindAll(JsonIds(ids));
  while (rows.Step()) {
    if (auto it = at.find(rows.Int(0)); it != at.end()) {
      videos[it->second].tags.push_back(rows.Text(1));
    }
  }
}

std::vector<Video> ReadAll(db::Connection& conn, db::Statement& rows) {
  std::vector<Video> videos;
  while (rows.Step()) videos.push_back(ReadVideo(rows));
  AttachTags(conn, videos);
  return videos;
}

std::optional<Video> ReadOne(db::Connection& conn, std::int64_t id) {
  std::vector<Video> found;
  {
    auto row = conn.Prepare(std::string(kVideoSelect) + " WHERE v.id = ?");
    row.BindAll(id);
    if (row.Step()) found.push_back(ReadVideo(row));
  }
  if (found.empty()) return std::nullopt;
  AttachTags(conn, found);
  return std::move(found.front());
}

void ReplaceTags(db::Connection& conn, std::int64_t video_id,
                 const std::vector<std::string>& tags) {
  conn.Prepare("DELETE FROM video_tags WHERE video_id = ?").BindAll(video_id).Run();
  for (std::size_t i = 0; i < tags.size(); ++i) {
    conn.Prepare("INSERT INTO video_tags (video_id, position, tag) VALUES (?, ?, ?)")
        .BindAll(video_id, static_cast<std::int64_t>(i), tags[i])
        .Run();
  }
}

// Whether `author_id` may change the video. Runs inside the write transaction, so the answer
// still holds when the change is made.
Status CheckAuthor(db::Connection& conn, std::int64_t video_id, std::int64_t author_id) {
  auto row = conn.Prepare("SELECT author_id FROM videos WHERE id = ?");
  row.BindAll(video_id);
  if (!row.Step()) {
    return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video_id));
  }
  if (row.Int(0) != author_id) {
    return PermissionDenied("VIDEO_NOT_YOURS", "only the author may change or delete a video");
  }
  return Status::Ok();
}

std::optional<MediaObject> FindMediaIn(db::Connection& conn, std::string_view column,
                                       std::string_view value) {
  auto row = conn.Prepare("SELECT " + std::string(kMediaColumns) + " FROM media_objects WHERE " +
                          std::string(column) + " = ?");
  row.BindAll(value);
  if (!row.Step()) return std::nullopt;
  return ReadMedia(row);
}

MediaUsage UsageIn(db::Connection& conn, std::int64_t user_id, std::string_view sha256,
                   std::int64_t pending_cutoff_ms) {
  MediaUsage usage;
  {
    auto pending = conn.Prepare(
        "SELECT COUNT(*), COALESCE(MIN(uploaded_at_ms), 0) FROM media_uploads WHERE user_id = ? "
        "AND published = 0 AND uploaded_at_ms > ? AND sha256 <> ?");
    pending.BindAll(user_id, pending_cutoff_ms, sha256);
    pending.Step();
    usage.pending_uploads = pending.Int(0);
    usage.oldest_pending_ms = pending.Int(1);
  }
  // Distinct objects: two videos of the same bytes are stored once.
  constexpr std::string_view kHeld =
      "SELECT m.sha256 FROM videos v JOIN media_objects m ON m.media_key = v.media_key "
      "WHERE v.author_id = ?1 UNION SELECT sha256 FROM media_uploads WHERE user_id = ?1 AND "
      "published = 0 AND uploaded_at_ms > ?2";
  {
    auto bytes =
        conn.Prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM media_objects WHERE sha256 IN (" +
                     std::string(kHeld) + ")");
    bytes.BindAll(user_id, pending_cutoff_ms);
    bytes.Step();
    usage.stored_bytes = static_cast<std::uint64_t>(bytes.Int(0));
  }
  auto holds = conn.Prepare("SELECT ?3 IN (" + std::string(kHeld) + ")");
  holds.BindAll(user_id, pending_cutoff_ms, sha256);
  holds.Step();
  usage.holds_object = holds.Int(0) != 0;
  return usage;
}

// Removes the object `sha256` (its upload rows, then its row) when no video uses it and no
// pending upload after the cutoff names it; returns it then. Runs inside the write
// transaction that ended a reference, so the decision and the removal are one.
std::optional<MediaObject> RemoveIfUnreferenced(db::Connection& conn, std::string_view sha256,
                                                std::int64_t pending_cutoff_ms) {
  auto media = FindMediaIn(conn, "sha256", sha256);
  if (!media) return std::nullopt;
  {
    auto used = conn.Prepare(
        "SELECT EXISTS (SELECT 1 FROM videos WHERE media_key = ?1) OR EXISTS (SELECT 1 FROM "
        "media_uploads WHERE sha256 = ?2 AND published = 0 AND uploaded_at_ms > ?3)");
    used.BindAll(media->key, sha256, pending_cutoff_ms);
    used.Step();
    if (used.Int(0) != 0) return std::nullopt;
  }
  conn.Prepare("DELETE FROM media_uploads WHERE sha256 = ?").BindAll(sha256).Run();
  conn.Prepare("DELETE FROM media_objects WHERE sha256 = ?").BindAll(sha256).Run();
  return media;
}

}  // namespace

// Id lists travel as one JSON array bound to one parameter, so a statement's text does not
// depend on how many ids there are (one cached statement, no placeholder lists). The
// (author_id, created_at_ms) index serves each author's range.
std::string SqliteVideoRepository::ListByAuthorsSql() {
  return std::string(kVideoSelect) +
         " WHERE v.author_id IN (SELECT value FROM json_each(?)) AND v.created_at_ms < ? AND " +
         std::string(kVisible) +
         " AND v.author_id NOT IN (SELECT value FROM json_each(?))"
         " ORDER BY v.created_at_ms DESC LIMIT ?";
}

std::string SqliteVideoRepository::ListSql(const VideoQuery& query) {
  std::string sql = std::string(kVideoSelect) + " WHERE v.created_at_ms < ?";
  if (query.author_id > 0) sql += " AND v.author_id = ?";
  if (query.visible_only) sql += " AND " + std::string(kVisible);
  if (!query.exclude_author_ids.empty()) {
    sql += " AND v.author_id NOT IN (SELECT value FROM json_each(?))";
  }
  return sql + " ORDER BY v.created_at_ms DESC LIMIT ?";
}

std::optional<MediaObject> SqliteVideoRepository::FindMediaBySha(std::string_view sha256) {
  return db_.Read([&](db::Connection& conn) { return FindMediaIn(conn, "sha256", sha256); });
}

std::optional<MediaObject> SqliteVideoRepository::FindMediaByKey(std::string_view key) {
  return db_.Read([&](db::Connection& conn) { return FindMediaIn(conn, "media_key", key); });
}

Result<MediaObject> SqliteVideoRepository::RecordUpload(const MediaUpload& upload,
                                                        const MediaObject* first,
                                                        const UploadLimits& limits) {
  return db_.Write([&](db::Connection& conn) -> Result<MediaObject> {
    if (first != nullptr) {
      const MediaObject& m = *first;
      conn.Prepare("INSERT OR IGNORE INTO media_objects (" + std::string(kMediaColumns) +
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .BindAll(m.sha256, m.key, m.cover_key, static_cast<std::int64_t>(m.size_bytes), m.width,
                   m.height, m.duration_ms, m.codec, m.created_at_ms)
          .Run();
    }
    auto media = FindMediaIn(conn, "sha256", upload.sha256);
    if (!media) return NotFound("MEDIA_NOT_FOUND", "the uploaded media was removed meanwhile");
    // Counted in the transaction that records the upload, so concurrent uploads of one user
    // cannot each pass on the same room.
    const MediaUsage usage = UsageIn(conn, upload.user_id, upload.sha256, limits.PendingCutoffMs());
    if (Status s = CheckUploadQuota(usage, media->size_bytes, limits); !s.ok()) return s;
    conn.Prepare(
            "INSERT INTO media_uploads (user_id, sha256, uploaded_at_ms, published) "
            "VALUES (?, ?, ?, 0) ON CONFLICT (user_id, sha256) DO UPDATE SET "
            "uploaded_at_ms = excluded.uploaded_at_ms, published = 0")
        .BindAll(upload.user_id, upload.sha256, upload.uploaded_at_ms)
        .Run();
    return std::move(*media);
  });
}

MediaUsage SqliteVideoRepository::UsageOf(std::int64_t user_id, std::string_view sha256,
                                          std::int64_t pending_cutoff_ms) {
  return db_.Read(
      [&](db::Connection& conn) { return UsageIn(conn, user_id, sha256, pending_cutoff_ms); });
}

Result<Video> SqliteVideoRepository::CreateVideo(const NewVideo& v,
                                                 std::int64_t pending_cutoff_ms) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    auto media = FindMediaIn(conn, "media_key", v.media_key);
    if (!media) return NotFound("MEDIA_NOT_FOUND", "no uploaded media '" + v.media_key + "'");
    {
      // Checked here, not before: the upload may expire, and its object go, meanwhile.
      auto upload = conn.Prepare(
          "SELECT 1 FROM media_uploads WHERE user_id = ? AND sha256 = ? AND "
          "(published = 1 OR uploaded_at_ms > ?)");
      upload.BindAll(v.author_id, media->sha256, pending_cutoff_ms);
      if (!upload.Step()) {
        return PermissionDenied("MEDIA_NOT_YOURS",
                                "you have no upload of this media: only a user who uploaded the "
                                "file may publish it, and an upload not published in time "
                                "expires; upload the file again");
      }
    }
    // Inside the write transaction no other insert can take the same time.
    std::int64_t latest = 0;
    {
      auto max = conn.Prepare("SELECT COALESCE(MAX(created_at_ms), 0) FROM videos");
      max.Step();
      latest = max.Int(0);
    }
    const std::int64_t created_at = std::max(v.created_at_ms, latest + 1);
    conn.Prepare(
            "INSERT INTO videos (author_id, title, description, media_key, created_at_ms, "
            "is_public, audit_status, is_original, source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .BindAll(v.author_id, v.title, v.description, v.media_key, created_at,
                 std::int64_t{v.is_public}, AuditStatusName(v.audit_status),
                 std::int64_t{v.is_original}, v.source_url)
        .Run();
    const std::int64_t id = conn.LastInsertId();
    ReplaceTags(conn, id, v.tags);
    conn.Prepare("UPDATE media_uploads SET published = 1 WHERE user_id = ? AND sha256 = ?")
        .BindAll(v.author_id, media->sha256)
        .Run();
    auto video = ReadOne(conn, id);
    if (!video) return Internal("video " + std::to_string(id) + " vanished while being created");
    return std::move(*video);
  });
}

std::vector<Video> SqliteVideoRepository::FindByIds(std::span<const std::int64_t> ids) {
  if (ids.empty()) return {};
  return db_.Read([&](db::Connection& conn) {
    auto rows =
        conn.Prepare(std::string(kVideoSelect) + " WHERE v.id IN (SELECT value FROM json_each(?))");
    rows.BindAll(JsonIds(ids));
    return ReadAll(conn, rows);
  });
}

std::vector<Video> SqliteVideoRepository::List(const VideoQuery& query) {
  return db_.Read([&](db::Connection& conn) {
    auto rows = conn.Prepare(ListSql(query));
    int at = 1;
    rows.Bind(at++, UpperBound(query.before_ms));
    if (query.author_id > 0) rows.Bind(at++, query.author_id);
    if (!query.exclude_author_ids.empty()) rows.Bind(at++, JsonIds(query.exclude_author_ids));
    rows.Bind(at, std::int64_t{query.limit});
    return ReadAll(conn, rows);
  });
}

std::vector<Video> SqliteVideoRepository::ListByAuthors(
    std::span<const std::int64_t> author_ids, std::int64_t before_ms, int limit,
    std::span<const std::int64_t> exclude_author_ids) {
  if (author_ids.empty()) return {};
  return db_.Read([&](db::Connection& conn) {
    auto rows = conn.Prepare(ListByAuthorsSql());
    rows.BindAll(JsonIds(author_ids), UpperBound(before_ms), JsonIds(exclude_author_ids), limit);
    return ReadAll(conn, rows);
  });
}

Result<Video> SqliteVideoRepository::UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                                                 const VideoEdit& edit) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    if (Status s = CheckAuthor(conn, video_id, author_id); !s.ok()) return s;
    if (edit.title) {
      conn.Prepare("UPDATE videos SET title = ? WHERE id = ?").BindAll(*edit.title, video_id).Run();
    }
    if (edit.description) {
      conn.Prepare("UPDATE videos SET description = ? WHERE id = ?")
          .BindAll(*edit.description, video_id)
          .Run();
    }
    if (edit.tags) ReplaceTags(conn, video_id, *edit.tags);
    if (edit.is_public) {
      conn.Prepare("UPDATE videos SET is_public = ? WHERE id = ?")
          .BindAll(std::int64_t{*edit.is_public}, video_id)
          .Run();
    }
    if (edit.is_original || edit.source_url) {
      // The provenance after the edit, checked against what is stored in this transaction.
      bool is_original = true;
      std::string source_url;
      {
        auto row = conn.Prepare("SELECT is_original, source_url FROM videos WHERE id = ?");
        row.BindAll(video_id);
        if (row.Step()) {
          is_original = row.Int(0) != 0;
          source_url = row.Text(1);
        }
      }
      is_original = edit.is_original.value_or(is_original);
      if (edit.source_url) {
        source_url = *edit.source_url;
      } else if (is_original) {
        source_url.clear();  // becoming an original drops the old source
      }
      if (Status s = CheckProvenance(is_original, source_url); !s.ok()) return s;
      conn.Prepare("UPDATE videos SET is_original = ?, source_url = ? WHERE id = ?")
          .BindAll(std::int64_t{is_original}, source_url, video_id)
          .Run();
    }
    auto video = ReadOne(conn, video_id);
    // The row exists (checked above, same transaction); only its media could be missing.
    if (!video) return Internal("video " + std::to_string(video_id) + " has no media object");
    return std::move(*video);
  });
}

Result<std::vector<MediaObject>> SqliteVideoRepository::DeleteVideo(
    std::int64_t video_id, std::int64_t author_id, std::int64_t pending_cutoff_ms) {
  return db_.Write([&](db::Connection& conn) -> Result<std::vector<MediaObject>> {
    if (Status s = CheckAuthor(conn, video_id, author_id); !s.ok()) return s;
    std::string sha256;
    {
      auto row = conn.Prepare(
          "SELECT m.sha256 FROM videos v JOIN media_objects m ON m.media_key = v.media_key "
          "WHERE v.id = ?");
      row.BindAll(video_id);
      if (row.Step()) sha256 = row.Text(0);
    }
    conn.Prepare("DELETE FROM video_tags WHERE video_id = ?").BindAll(video_id).Run();
    conn.Prepare("DELETE FROM videos WHERE id = ?").BindAll(video_id).Run();
    std::vector<MediaObject> removed;
    if (auto media = RemoveIfUnreferenced(conn, sha256, pending_cutoff_ms)) {
      removed.push_back(std::move(*media));
    }
    return removed;
  });
}

ExpiredUploads SqliteVideoRepository::ExpireUploads(std::int64_t pending_cutoff_ms, int limit) {
  return db_.Write([&](db::Connection& conn) {
    ExpiredUploads expired;
    std::set<std::string> objects;
    {
      auto rows = conn.Prepare(
          "DELETE FROM media_uploads WHERE (user_id, sha256) IN (SELECT user_id, sha256 FROM "
          "media_uploads WHERE published = 0 AND uploaded_at_ms <= ? ORDER BY uploaded_at_ms "
          "LIMIT ?) RETURNING sha256");
      rows.BindAll(pending_cutoff_ms, limit);
      while (rows.Step()) {
        ++expired.uploads;
        objects.insert(rows.Text(0));
      }
    }
    for (const std::string& sha256 : objects) {
      if (auto media = RemoveIfUnreferenced(conn, sha256, pending_cutoff_ms)) {
        expired.removed.push_back(std::move(*media));
      }
    }
    return expired;
  });
}

std::unordered_map<std::int64_t, WorkCount> SqliteVideoRepository::CountByAuthors(
    std::span<const std::int64_t> author_ids) {
  std::unordered_map<std::int64_t, WorkCount> counts;
  if (author_ids.empty()) return counts;
  db_.Read([&](db::Connection& conn) {
    auto rows = conn.Prepare(
        "SELECT author_id, video_count, visible_count FROM author_video_counts WHERE author_id IN "
        "(SELECT value FROM json_each(?)) AND video_count > 0");
    rows.BindAll(JsonIds(author_ids));
    while (rows.Step()) counts[rows.Int(0)] = WorkCount{rows.Int(1), rows.Int(2)};
  });
  return counts;
}

std::vector<Video> SqliteVideoRepository::ListByAuditStatus(AuditStatus status,
                                                            std::int64_t after_id, int limit) {
  return db_.Read([&](db::Connection& conn) {
    // The state as a literal, so the queue's partial index (videos_pending, videos_rejected)
    // serves it.
    auto rows =
        conn.Prepare(std::string(kVideoSelect) + " WHERE v.audit_status = '" +
                     std::string(AuditStatusName(status)) + "' AND v.id > ? ORDER BY v.id LIMIT ?");
    rows.BindAll(after_id, limit);
    return ReadAll(conn, rows);
  });
}

Result<Video> SqliteVideoRepository::SetAuditStatus(std::int64_t video_id, AuditStatus status,
                                                    std::string_view reason) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    auto row = conn.Prepare("UPDATE videos SET audit_status = ?, audit_reason = ? WHERE id = ?");
    row.BindAll(AuditStatusName(status), reason, video_id);
    row.Run();
    if (conn.Changes() == 0) {
      return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video_id));
    }
    auto video = ReadOne(conn, video_id);
    if (!video) return Internal("video " + std::to_string(video_id) + " has no media object");
    return std::move(*video);
  });
}

}  // namespace reel::video
