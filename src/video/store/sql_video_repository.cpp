#include "video/store/sql_video_repository.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "video/domain/publish_policy.hpp"

namespace reel::video {
namespace {

constexpr std::string_view kMediaColumns =
    "sha256, media_key, cover_key, size_bytes, width, height, duration_ms, codec, created_at_ms";

// Videos joined with their media object for the cover and the picture size.
// CROSS JOIN: videos first, always (STRAIGHT_JOIN on MariaDB). Every query pages or picks
// videos by an index on videos; a MariaDB optimizer that sees few media objects (many videos
// of one upload) starts from them instead and sorts every visible video for each page.
constexpr std::string_view kVideoSelect =
    "SELECT v.id, v.author_id, v.title, v.description, v.media_key, m.cover_key, m.width, "
    "m.height, m.duration_ms, v.created_at_ms, v.is_public, v.audit_status, v.audit_reason, "
    "v.is_original, v.source_url FROM videos v CROSS JOIN media_objects m "
    "ON m.media_key = v.media_key";

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

// Id lists are `IN (?, …)` lists, padded (SqlVideoRepository::InListSize): json_each, which
// kept one statement text for any number of ids, is SQLite's alone.
std::string InList(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < SqlVideoRepository::InListSize(n); ++i) out += i ? ",?" : "?";
  return out + ")";
}

// Binds `ids` from parameter `at` on, padded as InList(ids.size()); returns the next index.
int BindIds(db::Statement& stmt, int at, std::span<const std::int64_t> ids) {
  const std::size_t size = SqlVideoRepository::InListSize(ids.size());
  for (std::size_t i = 0; i < size; ++i) stmt.Bind(at++, ids[std::min(i, ids.size() - 1)]);
  return at;
}

// Lookups by id run in chunks, so a long list never meets the engines' parameter limits.
constexpr std::size_t kLookupChunk = 512;

template <typename OnChunk>
void ForEachChunk(std::span<const std::int64_t> ids, OnChunk&& on_chunk) {
  for (std::size_t at = 0; at < ids.size(); at += kLookupChunk) {
    on_chunk(ids.subspan(at, std::min(kLookupChunk, ids.size() - at)));
  }
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
  ForEachChunk(ids, [&](std::span<const std::int64_t> chunk) {
    auto rows = conn.Prepare("SELECT video_id, tag FROM video_tags WHERE video_id IN " +
                             InList(chunk.size()) + " ORDER BY video_id, position");
    BindIds(rows, 1, chunk);
    while (rows.Step()) {
      if (auto it = at.find(rows.Int(0)); it != at.end()) {
        videos[it->second].tags.push_back(rows.Text(1));
      }
    }
  });
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

// Locks. On MariaDB (READ COMMITTED, writers in several processes) a plain read neither
// locks nor waits, so a write that decides on what it read first writes a row every
// competing write also writes: a no-op UPDATE takes the row's lock, held to COMMIT, and the
// reads after it see everything committed before. SQLite's single writer serialises anyway.
// The order, so two writes never wait on each other: uploader, media object, publish_lock
// or video, then the author's counter row.

// Locks the media object `column` = `value`; false when there is none.
bool LockMedia(db::Connection& conn, std::string_view column, std::string_view value) {
  conn.Prepare("UPDATE media_objects SET size_bytes = size_bytes WHERE " + std::string(column) +
               " = ?")
      .BindAll(value)
      .Run();
  return conn.Changes() > 0;
}

// The columns of a video that its locked writes decide on.
struct VideoState {
  std::int64_t author_id = 0;
  bool visible = false;  // public and approved: counted in visible_count
};

std::optional<VideoState> ReadState(db::Connection& conn, std::int64_t video_id) {
  auto row = conn.Prepare(
      "SELECT author_id, is_public = 1 AND audit_status = 'approved' FROM videos WHERE id = ?");
  row.BindAll(video_id);
  if (!row.Step()) return std::nullopt;
  return VideoState{row.Int(0), row.Int(1) != 0};
}

// Locks the video and reads its state; nullopt when there is none.
std::optional<VideoState> LockVideo(db::Connection& conn, std::int64_t video_id) {
  conn.Prepare("UPDATE videos SET author_id = author_id WHERE id = ?").BindAll(video_id).Run();
  if (conn.Changes() == 0) return std::nullopt;
  return ReadState(conn, video_id);
}

// Whether `author_id` may change the video: locks it, so the answer (and `state`) still hold
// when the change is made.
Status CheckAuthor(db::Connection& conn, std::int64_t video_id, std::int64_t author_id,
                   VideoState* state = nullptr) {
  auto locked = LockVideo(conn, video_id);
  if (!locked) {
    return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video_id));
  }
  if (locked->author_id != author_id) {
    return PermissionDenied("VIDEO_NOT_YOURS", "only the author may change or delete a video");
  }
  if (state != nullptr) *state = *locked;
  return Status::Ok();
}

// Counts a video added to its author's counters; the row is made on the author's first.
void CountAdded(db::Connection& conn, std::int64_t author_id, bool visible) {
  conn.Prepare(
          "INSERT INTO author_video_counts (author_id, video_count, visible_count) VALUES (?, 1, "
          "?) ON CONFLICT (author_id) DO UPDATE SET video_count = video_count + 1, "
          "visible_count = visible_count + excluded.visible_count")
      .BindAll(author_id, std::int64_t{visible})
      .Run();
}

// Takes a removed video off its author's counters. An UPDATE, not the upsert: the CHECK
// (>= 0) would refuse the -1 of the row an upsert offers for inserting before the conflict.
void CountRemoved(db::Connection& conn, std::int64_t author_id, bool visible) {
  conn.Prepare(
          "UPDATE author_video_counts SET video_count = video_count - 1, visible_count = "
          "visible_count - ? WHERE author_id = ?")
      .BindAll(std::int64_t{visible}, author_id)
      .Run();
}

// Moves visible_count by a locked video's change of visibility from `before`.
void CountVisibility(db::Connection& conn, std::int64_t video_id, const VideoState& before) {
  const VideoState after = ReadState(conn, video_id).value_or(before);
  if (after.visible == before.visible) return;
  conn.Prepare(
          "UPDATE author_video_counts SET visible_count = visible_count + ? WHERE author_id = ?")
      .BindAll(std::int64_t{after.visible ? 1 : -1}, before.author_id)
      .Run();
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
  // Distinct objects: two videos of the same bytes are stored once. Parameters: user_id,
  // user_id, pending_cutoff_ms.
  constexpr std::string_view kHeld =
      "SELECT m.sha256 FROM videos v JOIN media_objects m ON m.media_key = v.media_key "
      "WHERE v.author_id = ? UNION SELECT sha256 FROM media_uploads WHERE user_id = ? AND "
      "published = 0 AND uploaded_at_ms > ?";
  {
    auto bytes =
        conn.Prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM media_objects WHERE sha256 IN (" +
                     std::string(kHeld) + ")");
    bytes.BindAll(user_id, user_id, pending_cutoff_ms);
    bytes.Step();
    usage.stored_bytes = static_cast<std::uint64_t>(bytes.Int(0));
  }
  auto holds = conn.Prepare("SELECT ? IN (" + std::string(kHeld) + ")");
  holds.BindAll(sha256, user_id, user_id, pending_cutoff_ms);
  holds.Step();
  usage.holds_object = holds.Int(0) != 0;
  return usage;
}

// Removes the object `sha256` (its upload rows, then its row) when no video uses it and no
// pending upload after the cutoff names it; returns it then. Runs inside the write
// transaction that ended a reference, with the object locked (LockMedia), so a publish or an
// upload of it waits for the decision and the removal, which are one.
std::optional<MediaObject> RemoveIfUnreferenced(db::Connection& conn, std::string_view sha256,
                                                std::int64_t pending_cutoff_ms) {
  auto media = FindMediaIn(conn, "sha256", sha256);
  if (!media) return std::nullopt;
  {
    auto used = conn.Prepare(
        "SELECT EXISTS (SELECT 1 FROM videos WHERE media_key = ?) OR EXISTS (SELECT 1 FROM "
        "media_uploads WHERE sha256 = ? AND published = 0 AND uploaded_at_ms > ?)");
    used.BindAll(media->key, sha256, pending_cutoff_ms);
    used.Step();
    if (used.Int(0) != 0) return std::nullopt;
  }
  conn.Prepare("DELETE FROM media_uploads WHERE sha256 = ?").BindAll(sha256).Run();
  conn.Prepare("DELETE FROM media_objects WHERE sha256 = ?").BindAll(sha256).Run();
  return media;
}

// What search and the caches of other processes hear of an edit: they re-read the video.
events::Event Updated(const Video& video) {
  return events::MakeEvent(events::EventKind::kVideoUpdated, video.id, video.author_id, 0);
}

}  // namespace

std::size_t SqlVideoRepository::InListSize(std::size_t n) {
  std::size_t size = 8;
  while (size < n) size *= 2;
  return size;
}

// The (author_id, created_at_ms) index over visible videos serves each author's range.
std::string SqlVideoRepository::ListByAuthorsSql(std::size_t authors) {
  return std::string(kVideoSelect) + " WHERE v.author_id IN " + InList(authors) +
         " AND v.created_at_ms < ? AND " + std::string(kVisible) +
         " ORDER BY v.created_at_ms DESC LIMIT ?";
}

std::string SqlVideoRepository::ListSql(const VideoQuery& query) {
  std::string sql = std::string(kVideoSelect) + " WHERE v.created_at_ms < ?";
  if (query.author_id > 0) sql += " AND v.author_id = ?";
  if (query.visible_only) sql += " AND " + std::string(kVisible);
  if (!query.exclude_author_ids.empty()) {
    sql += " AND v.author_id NOT IN " + InList(query.exclude_author_ids.size());
  }
  return sql + " ORDER BY v.created_at_ms DESC LIMIT ?";
}

std::optional<MediaObject> SqlVideoRepository::FindMediaBySha(std::string_view sha256) {
  return db_.Read([&](db::Connection& conn) { return FindMediaIn(conn, "sha256", sha256); });
}

std::optional<MediaObject> SqlVideoRepository::FindMediaByKey(std::string_view key) {
  return db_.Read([&](db::Connection& conn) { return FindMediaIn(conn, "media_key", key); });
}

Result<MediaObject> SqlVideoRepository::RecordUpload(const MediaUpload& upload,
                                                     const MediaObject* first,
                                                     const UploadLimits& limits) {
  return db_.Write([&](db::Connection& conn) -> Result<MediaObject> {
    // The uploader first: a user's concurrent uploads count each other against the quota.
    conn.Prepare(
            "INSERT INTO upload_locks (user_id) VALUES (?) ON CONFLICT (user_id) DO UPDATE SET "
            "user_id = excluded.user_id")
        .BindAll(upload.user_id)
        .Run();
    // Then the object, so a deletion or expiry deciding to remove it waits, or is waited for.
    if (!LockMedia(conn, "sha256", upload.sha256) && first != nullptr) {
      const MediaObject& m = *first;
      conn.Prepare("INSERT OR IGNORE INTO media_objects (" + std::string(kMediaColumns) +
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .BindAll(m.sha256, m.key, m.cover_key, static_cast<std::int64_t>(m.size_bytes), m.width,
                   m.height, m.duration_ms, m.codec, m.created_at_ms)
          .Run();
      LockMedia(conn, "sha256", upload.sha256);  // another upload's row, if it won the insert
    }
    auto media = FindMediaIn(conn, "sha256", upload.sha256);
    if (!media) return NotFound("MEDIA_NOT_FOUND", "the uploaded media was removed meanwhile");
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

MediaUsage SqlVideoRepository::UsageOf(std::int64_t user_id, std::string_view sha256,
                                       std::int64_t pending_cutoff_ms) {
  return db_.Read(
      [&](db::Connection& conn) { return UsageIn(conn, user_id, sha256, pending_cutoff_ms); });
}

Result<Video> SqlVideoRepository::CreateVideo(const NewVideo& v, std::int64_t pending_cutoff_ms) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    // Locked: the upload may expire, and its object go, meanwhile; not after this.
    if (!LockMedia(conn, "media_key", v.media_key)) {
      return NotFound("MEDIA_NOT_FOUND", "no uploaded media '" + v.media_key + "'");
    }
    auto media = FindMediaIn(conn, "media_key", v.media_key);
    if (!media) return NotFound("MEDIA_NOT_FOUND", "no uploaded media '" + v.media_key + "'");
    {
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
    // Publishes take publish_lock's row one after the other, so each reads the newest time
    // committed before it and no two take the same.
    conn.Prepare("UPDATE publish_lock SET id = 1 WHERE id = 1").Run();
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
    CountAdded(conn, v.author_id, v.is_public && v.audit_status == AuditStatus::kApproved);
    conn.Prepare("UPDATE media_uploads SET published = 1 WHERE user_id = ? AND sha256 = ?")
        .BindAll(v.author_id, media->sha256)
        .Run();
    auto video = ReadOne(conn, id);
    if (!video) return Internal("video " + std::to_string(id) + " vanished while being created");
    events::Record(
        outbox_, conn,
        events::MakeEvent(events::EventKind::kVideoPublished, id, v.author_id, created_at));
    return std::move(*video);
  });
}

std::vector<Video> SqlVideoRepository::FindByIds(std::span<const std::int64_t> ids) {
  if (ids.empty()) return {};
  return db_.Read([&](db::Connection& conn) {
    std::vector<Video> videos;
    ForEachChunk(ids, [&](std::span<const std::int64_t> chunk) {
      auto rows =
          conn.Prepare(std::string(kVideoSelect) + " WHERE v.id IN " + InList(chunk.size()));
      BindIds(rows, 1, chunk);
      while (rows.Step()) videos.push_back(ReadVideo(rows));
    });
    AttachTags(conn, videos);
    return videos;
  });
}

std::vector<Video> SqlVideoRepository::List(const VideoQuery& query) {
  return db_.Read([&](db::Connection& conn) {
    auto rows = conn.Prepare(ListSql(query));
    int at = 1;
    rows.Bind(at++, UpperBound(query.before_ms));
    if (query.author_id > 0) rows.Bind(at++, query.author_id);
    if (!query.exclude_author_ids.empty()) at = BindIds(rows, at, query.exclude_author_ids);
    rows.Bind(at, std::int64_t{query.limit});
    return ReadAll(conn, rows);
  });
}

std::vector<Video> SqlVideoRepository::ListByAuthors(
    std::span<const std::int64_t> author_ids, std::int64_t before_ms, int limit,
    std::span<const std::int64_t> exclude_author_ids) {
  // Excluded authors are left out of the list itself: one IN list, no NOT IN beside it.
  const std::set<std::int64_t> excluded(exclude_author_ids.begin(), exclude_author_ids.end());
  std::vector<std::int64_t> authors;
  for (std::int64_t id : author_ids) {
    if (!excluded.contains(id)) authors.push_back(id);
  }
  if (authors.empty()) return {};
  return db_.Read([&](db::Connection& conn) {
    auto rows = conn.Prepare(ListByAuthorsSql(authors.size()));
    const int at = BindIds(rows, 1, authors);
    rows.Bind(at, UpperBound(before_ms));
    rows.Bind(at + 1, limit);
    return ReadAll(conn, rows);
  });
}

Result<Video> SqlVideoRepository::UpdateVideo(std::int64_t video_id, std::int64_t author_id,
                                              const VideoEdit& edit) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    VideoState before;
    if (Status s = CheckAuthor(conn, video_id, author_id, &before); !s.ok()) return s;
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
      CountVisibility(conn, video_id, before);
    }
    if (edit.is_original || edit.source_url) {
      // The provenance after the edit, checked against what is stored (the row is locked).
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
    events::Record(outbox_, conn, Updated(*video));
    return std::move(*video);
  });
}

Result<std::vector<MediaObject>> SqlVideoRepository::DeleteVideo(std::int64_t video_id,
                                                                 std::int64_t author_id,
                                                                 std::int64_t pending_cutoff_ms) {
  return db_.Write([&](db::Connection& conn) -> Result<std::vector<MediaObject>> {
    // The media object is locked before the video (the order every write keeps); a video's
    // media never changes, so reading it unlocked is safe.
    std::string sha256;
    {
      auto row = conn.Prepare(
          "SELECT m.sha256 FROM videos v JOIN media_objects m ON m.media_key = v.media_key "
          "WHERE v.id = ?");
      row.BindAll(video_id);
      if (row.Step()) sha256 = row.Text(0);
    }
    if (!sha256.empty()) LockMedia(conn, "sha256", sha256);
    VideoState before;
    if (Status s = CheckAuthor(conn, video_id, author_id, &before); !s.ok()) return s;
    conn.Prepare("DELETE FROM video_tags WHERE video_id = ?").BindAll(video_id).Run();
    conn.Prepare("DELETE FROM videos WHERE id = ?").BindAll(video_id).Run();
    CountRemoved(conn, before.author_id, before.visible);
    std::vector<MediaObject> removed;
    if (auto media = RemoveIfUnreferenced(conn, sha256, pending_cutoff_ms)) {
      removed.push_back(std::move(*media));
    }
    events::Record(
        outbox_, conn,
        events::MakeEvent(events::EventKind::kVideoDeleted, video_id, before.author_id, 0));
    return removed;
  });
}

ExpiredUploads SqlVideoRepository::ExpireUploads(std::int64_t pending_cutoff_ms, int limit) {
  return db_.Write([&](db::Connection& conn) {
    // The oldest expired uploads, read unlocked; each is deleted only if it is still expired
    // once its object is locked (a new upload of the same user and object renews the row).
    std::map<std::string, std::vector<std::int64_t>> by_object;  // sha256 → uploaders
    {
      auto rows = conn.Prepare(
          "SELECT user_id, sha256 FROM media_uploads WHERE published = 0 AND uploaded_at_ms <= ? "
          "ORDER BY uploaded_at_ms LIMIT ?");
      rows.BindAll(pending_cutoff_ms, limit);
      while (rows.Step()) by_object[rows.Text(1)].push_back(rows.Int(0));
    }
    ExpiredUploads expired;
    for (const auto& [sha256, users] : by_object) {
      if (!LockMedia(conn, "sha256", sha256)) continue;
      for (std::int64_t user_id : users) {
        conn.Prepare(
                "DELETE FROM media_uploads WHERE user_id = ? AND sha256 = ? AND published = 0 "
                "AND uploaded_at_ms <= ?")
            .BindAll(user_id, sha256, pending_cutoff_ms)
            .Run();
        expired.uploads += static_cast<std::size_t>(conn.Changes());
      }
      if (auto media = RemoveIfUnreferenced(conn, sha256, pending_cutoff_ms)) {
        expired.removed.push_back(std::move(*media));
      }
    }
    return expired;
  });
}

void SqlVideoRepository::RecordFailedDeletion(const BlobDeletion& deletion) {
  db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT INTO blob_deletions (media_key, sha256, failed_at_ms, attempts) VALUES (?, ?, "
            "?, 1) ON CONFLICT (media_key) DO UPDATE SET failed_at_ms = excluded.failed_at_ms, "
            "attempts = attempts + 1")
        .BindAll(deletion.media_key, deletion.sha256, deletion.failed_at_ms)
        .Run();
  });
}

std::vector<BlobDeletion> SqlVideoRepository::FailedDeletions(int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<BlobDeletion> out;
    auto rows = conn.Prepare(
        "SELECT media_key, sha256, failed_at_ms, attempts FROM blob_deletions "
        "ORDER BY failed_at_ms, media_key LIMIT ?");
    rows.BindAll(limit);
    while (rows.Step()) out.push_back({rows.Text(0), rows.Text(1), rows.Int(2), rows.Int(3)});
    return out;
  });
}

void SqlVideoRepository::DropFailedDeletion(std::string_view media_key) {
  db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM blob_deletions WHERE media_key = ?").BindAll(media_key).Run();
  });
}

std::unordered_map<std::int64_t, WorkCount> SqlVideoRepository::CountByAuthors(
    std::span<const std::int64_t> author_ids) {
  std::unordered_map<std::int64_t, WorkCount> counts;
  if (author_ids.empty()) return counts;
  db_.Read([&](db::Connection& conn) {
    counts.clear();  // a lost connection runs this again
    ForEachChunk(author_ids, [&](std::span<const std::int64_t> chunk) {
      auto rows = conn.Prepare(
          "SELECT author_id, video_count, visible_count FROM author_video_counts WHERE author_id "
          "IN " +
          InList(chunk.size()) + " AND video_count > 0");
      BindIds(rows, 1, chunk);
      while (rows.Step()) counts[rows.Int(0)] = WorkCount{rows.Int(1), rows.Int(2)};
    });
  });
  return counts;
}

std::vector<Video> SqlVideoRepository::ListByAuditStatus(AuditStatus status, std::int64_t after_id,
                                                         int limit) {
  return db_.Read([&](db::Connection& conn) {
    // The state as a literal, so the queue's partial index (videos_pending, videos_rejected)
    // serves it on SQLite.
    auto rows =
        conn.Prepare(std::string(kVideoSelect) + " WHERE v.audit_status = '" +
                     std::string(AuditStatusName(status)) + "' AND v.id > ? ORDER BY v.id LIMIT ?");
    rows.BindAll(after_id, limit);
    return ReadAll(conn, rows);
  });
}

Result<Video> SqlVideoRepository::SetAuditStatus(std::int64_t video_id, AuditStatus status,
                                                 std::string_view reason) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    const auto before = LockVideo(conn, video_id);
    if (!before) return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video_id));
    conn.Prepare("UPDATE videos SET audit_status = ?, audit_reason = ? WHERE id = ?")
        .BindAll(AuditStatusName(status), reason, video_id)
        .Run();
    CountVisibility(conn, video_id, *before);
    auto video = ReadOne(conn, video_id);
    if (!video) return Internal("video " + std::to_string(video_id) + " has no media object");
    events::Record(outbox_, conn, Updated(*video));
    return std::move(*video);
  });
}

}  // namespace reel::video
