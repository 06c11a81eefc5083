#include "video/store/sqlite_video_repository.hpp"

#include <limits>
#include <string>

namespace reel::video {
namespace {

constexpr std::string_view kMediaColumns =
    "sha256, media_key, cover_key, size_bytes, width, height, duration_ms, codec, created_at_ms";

// Videos joined with their media object for the cover and the picture size.
constexpr std::string_view kVideoSelect =
    "SELECT v.id, v.author_id, v.title, v.description, v.media_key, m.cover_key, m.width, "
    "m.height, m.duration_ms, v.created_at_ms FROM videos v JOIN media_objects m ON "
    "m.media_key = v.media_key";

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
               row.Int(9)};
}

std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// Runs `sql` (with an IN list of `ids.size()` placeholders appended after `prefix_binds`
// fixed parameters) in chunks, so statements stay few and bounded.
template <typename OnRow>
void ForEachChunk(db::Connection& conn, std::span<const std::int64_t> ids,
                  const std::string& sql_before_list, const std::string& sql_after_list,
                  OnRow&& on_row) {
  constexpr std::size_t kChunk = 64;
  for (std::size_t at = 0; at < ids.size(); at += kChunk) {
    const auto chunk = ids.subspan(at, std::min(kChunk, ids.size() - at));
    auto rows = conn.Prepare(sql_before_list + Placeholders(chunk.size()) + sql_after_list);
    for (std::size_t i = 0; i < chunk.size(); ++i) rows.Bind(static_cast<int>(i + 1), chunk[i]);
    while (rows.Step()) on_row(rows);
  }
}

}  // namespace

std::optional<MediaObject> SqliteVideoRepository::FindMedia(std::string_view column,
                                                            std::string_view value) {
  return db_.Read([&](db::Connection& conn) -> std::optional<MediaObject> {
    auto row = conn.Prepare("SELECT " + std::string(kMediaColumns) + " FROM media_objects WHERE " +
                            std::string(column) + " = ?");
    row.BindAll(value);
    if (!row.Step()) return std::nullopt;
    return ReadMedia(row);
  });
}

std::optional<MediaObject> SqliteVideoRepository::FindMediaBySha(std::string_view sha256) {
  return FindMedia("sha256", sha256);
}

std::optional<MediaObject> SqliteVideoRepository::FindMediaByKey(std::string_view key) {
  return FindMedia("media_key", key);
}

void SqliteVideoRepository::InsertMedia(const MediaObject& m) {
  db_.Write([&](db::Connection& conn) {
    conn.Prepare("INSERT OR IGNORE INTO media_objects (" + std::string(kMediaColumns) +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .BindAll(m.sha256, m.key, m.cover_key, static_cast<std::int64_t>(m.size_bytes), m.width,
                 m.height, m.duration_ms, m.codec, m.created_at_ms)
        .Run();
  });
}

Result<Video> SqliteVideoRepository::CreateVideo(const NewVideo& v) {
  return db_.Write([&](db::Connection& conn) -> Result<Video> {
    auto media = conn.Prepare("SELECT 1 FROM media_objects WHERE media_key = ?");
    media.BindAll(v.media_key);
    if (!media.Step()) {
      return NotFound("MEDIA_NOT_FOUND", "no uploaded media '" + v.media_key + "'");
    }
    // Inside the write transaction no other insert can take the same time.
    auto latest = conn.Prepare("SELECT COALESCE(MAX(created_at_ms), 0) FROM videos");
    latest.Step();
    const std::int64_t created_at = std::max(v.created_at_ms, latest.Int(0) + 1);
    conn.Prepare(
            "INSERT INTO videos (author_id, title, description, media_key, created_at_ms) "
            "VALUES (?, ?, ?, ?, ?)")
        .BindAll(v.author_id, v.title, v.description, v.media_key, created_at)
        .Run();
    auto row = conn.Prepare(std::string(kVideoSelect) + " WHERE v.id = ?");
    row.BindAll(conn.LastInsertId());
    row.Step();
    return ReadVideo(row);
  });
}

std::vector<Video> SqliteVideoRepository::FindByIds(std::span<const std::int64_t> ids) {
  std::vector<Video> videos;
  if (ids.empty()) return videos;
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, ids, std::string(kVideoSelect) + " WHERE v.id IN (", ")",
                 [&](const db::Statement& row) { videos.push_back(ReadVideo(row)); });
  });
  return videos;
}

std::vector<Video> SqliteVideoRepository::List(std::int64_t author_id, std::int64_t before_ms,
                                               int limit) {
  const std::int64_t bound = before_ms > 0 ? before_ms : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<Video> videos;
    auto rows =
        author_id > 0
            ? conn.Prepare(std::string(kVideoSelect) +
                           " WHERE v.author_id = ? AND v.created_at_ms < ? "
                           "ORDER BY v.created_at_ms DESC LIMIT ?")
            : conn.Prepare(std::string(kVideoSelect) +
                           " WHERE v.created_at_ms < ? ORDER BY v.created_at_ms DESC LIMIT ?");
    if (author_id > 0) {
      rows.BindAll(author_id, bound, limit);
    } else {
      rows.BindAll(bound, limit);
    }
    while (rows.Step()) videos.push_back(ReadVideo(rows));
    return videos;
  });
}

std::unordered_map<std::int64_t, std::int64_t> SqliteVideoRepository::CountByAuthors(
    std::span<const std::int64_t> author_ids) {
  std::unordered_map<std::int64_t, std::int64_t> counts;
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, author_ids, "SELECT author_id, COUNT(*) FROM videos WHERE author_id IN (",
                 ") GROUP BY author_id",
                 [&](const db::Statement& row) { counts[row.Int(0)] = row.Int(1); });
  });
  return counts;
}

}  // namespace reel::video
