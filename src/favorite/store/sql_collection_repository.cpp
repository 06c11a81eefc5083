#include "favorite/store/sql_collection_repository.hpp"

#include <limits>
#include <string>
#include <string_view>

#include "favorite/store/sql_in_list.hpp"

namespace reel::favorite {

using detail::ForEachChunk;

bool SqlCollectionRepository::AddBookmark(std::int64_t user_id, std::int64_t video_id,
                                          std::int64_t created_at_ms) {
  const bool added = db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT OR IGNORE INTO bookmarks (user_id, video_id, created_at_ms) VALUES (?, ?, ?)")
        .BindAll(user_id, video_id, created_at_ms)
        .Run();
    // An ignored insert (the bookmark exists) changes no row, and then the counter stays.
    if (conn.Changes() != 1) return false;
    conn.Prepare(
            "INSERT INTO video_collection_counts (video_id, collect_count) VALUES (?, 1) "
            "ON CONFLICT (video_id) DO UPDATE SET collect_count = collect_count + 1")
        .BindAll(video_id)
        .Run();
    return true;
  });
  if (added) Changed();
  return added;
}

bool SqlCollectionRepository::RemoveBookmark(std::int64_t user_id, std::int64_t video_id) {
  const bool removed = db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM bookmarks WHERE user_id = ? AND video_id = ?")
        .BindAll(user_id, video_id)
        .Run();
    if (conn.Changes() != 1) return false;
    // The row exists (the bookmark's insert made it); below zero the CHECK throws and the
    // whole removal rolls back rather than hiding a broken counter.
    conn.Prepare(
            "UPDATE video_collection_counts SET collect_count = collect_count - 1 "
            "WHERE video_id = ?")
        .BindAll(video_id)
        .Run();
    return true;
  });
  if (removed) Changed();
  return removed;
}

std::vector<Bookmark> SqlCollectionRepository::ListBookmarks(std::int64_t user_id,
                                                             std::int64_t before_id, int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<Bookmark> out;
    auto rows = conn.Prepare(
        "SELECT id, video_id FROM bookmarks WHERE user_id = ? AND id < ? "
        "ORDER BY id DESC LIMIT ?");
    rows.BindAll(user_id, bound, limit);
    while (rows.Step()) out.push_back(Bookmark{rows.Int(0), rows.Int(1)});
    return out;
  });
}

ShareOutcome SqlCollectionRepository::AddShare(std::int64_t user_id, std::int64_t video_id,
                                               std::int64_t day) {
  const ShareOutcome outcome = db_.Write([&](db::Connection& conn) {
    ShareOutcome out;
    // Only today's row decides whether a share counts: the pair's older days go, so the
    // table holds at most one row per user and video however long they keep sharing.
    conn.Prepare("DELETE FROM shares WHERE video_id = ? AND user_id = ? AND day < ?")
        .BindAll(video_id, user_id, day)
        .Run();
    conn.Prepare("INSERT OR IGNORE INTO shares (video_id, user_id, day) VALUES (?, ?, ?)")
        .BindAll(video_id, user_id, day)
        .Run();
    out.counted = conn.Changes() == 1;
    if (out.counted) {
      conn.Prepare(
              "INSERT INTO video_collection_counts (video_id, share_count) VALUES (?, 1) "
              "ON CONFLICT (video_id) DO UPDATE SET share_count = share_count + 1")
          .BindAll(video_id)
          .Run();
    }
    // Read in the same transaction: the count this share made (or found), exactly.
    auto count = conn.Prepare("SELECT share_count FROM video_collection_counts WHERE video_id = ?");
    count.BindAll(video_id);
    if (count.Step()) out.share_count = count.Int(0);
    return out;
  });
  if (outcome.counted) Changed();
  return outcome;
}

std::int64_t SqlCollectionRepository::RemoveCollectionsOfVideo(std::int64_t video_id) {
  const std::int64_t removed = db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM bookmarks WHERE video_id = ?").BindAll(video_id).Run();
    std::int64_t rows = conn.Changes();
    conn.Prepare("DELETE FROM shares WHERE video_id = ?").BindAll(video_id).Run();
    rows += conn.Changes();
    conn.Prepare("DELETE FROM video_collection_counts WHERE video_id = ?").BindAll(video_id).Run();
    return rows;
  });
  if (removed > 0) Changed();
  return removed;
}

std::vector<CounterRepair> SqlCollectionRepository::ReconcileCounters() {
  // COUNT(*) of no bookmarks is 0: a counter left behind by bookmarks that are gone drops
  // to 0 (its row stays, for its share_count). A missing row is created only for a video
  // with bookmarks, its share_count at the default 0 (no share counted into a missing row).
  constexpr std::string_view kTruth =
      "(SELECT COUNT(*) FROM bookmarks b WHERE b.video_id = video_collection_counts.video_id)";
  const std::int64_t fixed = db_.Write([&](db::Connection& conn) {
    conn.Prepare("UPDATE video_collection_counts SET collect_count = " + std::string(kTruth) +
                 " WHERE collect_count <> " + std::string(kTruth))
        .Run();
    std::int64_t rows = conn.Changes();
    conn.Prepare(
            "INSERT INTO video_collection_counts (video_id, collect_count) "
            "SELECT b.video_id, COUNT(*) FROM bookmarks b WHERE NOT EXISTS "
            "(SELECT 1 FROM video_collection_counts c WHERE c.video_id = b.video_id) "
            "GROUP BY b.video_id")
        .Run();
    rows += conn.Changes();
    return rows;
  });
  if (fixed > 0) Changed();
  return {CounterRepair{"video_collection_counts.collect_count", fixed}};
}

std::unordered_map<std::int64_t, VideoCollectionCounts> SqlCollectionRepository::CountsByVideos(
    std::span<const std::int64_t> video_ids) {
  std::unordered_map<std::int64_t, VideoCollectionCounts> counts;
  if (video_ids.empty()) return counts;
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, {}, video_ids,
                 "SELECT video_id, collect_count, share_count FROM video_collection_counts "
                 "WHERE video_id IN (",
                 ")", [&](const db::Statement& row) {
                   counts[row.Int(0)] = VideoCollectionCounts{row.Int(1), row.Int(2)};
                 });
  });
  return counts;
}

std::unordered_set<std::int64_t> SqlCollectionRepository::CollectedAmong(
    std::int64_t user_id, std::span<const std::int64_t> video_ids) {
  std::unordered_set<std::int64_t> collected;
  if (video_ids.empty()) return collected;
  const std::int64_t leading[] = {user_id};
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, leading, video_ids,
                 "SELECT video_id FROM bookmarks WHERE user_id = ? AND video_id IN (", ")",
                 [&](const db::Statement& row) { collected.insert(row.Int(0)); });
  });
  return collected;
}

bool SqlCollectionRepository::CollectionsPublic(std::int64_t user_id) {
  return db_.Read([&](db::Connection& conn) {
    auto row = conn.Prepare("SELECT collections_public FROM collection_settings WHERE user_id = ?");
    row.BindAll(user_id);
    return row.Step() && row.Int(0) == 1;
  });
}

void SqlCollectionRepository::SetCollectionsPublic(std::int64_t user_id, bool is_public) {
  db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT INTO collection_settings (user_id, collections_public) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET collections_public = excluded.collections_public")
        .BindAll(user_id, std::int64_t{is_public ? 1 : 0})
        .Run();
  });
}

}  // namespace reel::favorite
