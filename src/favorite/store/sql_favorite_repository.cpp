#include "favorite/store/sql_favorite_repository.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "favorite/store/sql_in_list.hpp"

namespace reel::favorite {
namespace {

using detail::ForEachChunk;

// Counts a new like for the video, the liker and the author. Upserts: the first like of a
// video or user creates its counter row.
void CountLike(db::Connection& conn, const Favorite& f) {
  conn.Prepare(
          "INSERT INTO video_favorite_counts (video_id, favorite_count) VALUES (?, 1) "
          "ON CONFLICT (video_id) DO UPDATE SET favorite_count = favorite_count + 1")
      .BindAll(f.video_id)
      .Run();
  conn.Prepare(
          "INSERT INTO user_favorite_counts (user_id, favorite_count) VALUES (?, 1) "
          "ON CONFLICT (user_id) DO UPDATE SET favorite_count = favorite_count + 1")
      .BindAll(f.user_id)
      .Run();
  // A separate statement even when the liker is the author: both counters move.
  conn.Prepare(
          "INSERT INTO user_favorite_counts (user_id, total_favorited) VALUES (?, 1) "
          "ON CONFLICT (user_id) DO UPDATE SET total_favorited = total_favorited + 1")
      .BindAll(f.author_id)
      .Run();
}

// Takes a removed like back. The rows exist: the like's insert created them. Should a
// counter already be 0 (a broken invariant), the CHECK constraint throws and the whole
// unlike rolls back rather than hiding the damage below zero.
void UncountLike(db::Connection& conn, std::int64_t video_id, std::int64_t user_id,
                 std::int64_t author_id) {
  conn.Prepare(
          "UPDATE video_favorite_counts SET favorite_count = favorite_count - 1 "
          "WHERE video_id = ?")
      .BindAll(video_id)
      .Run();
  conn.Prepare(
          "UPDATE user_favorite_counts SET favorite_count = favorite_count - 1 WHERE user_id = ?")
      .BindAll(user_id)
      .Run();
  conn.Prepare(
          "UPDATE user_favorite_counts SET total_favorited = total_favorited - 1 "
          "WHERE user_id = ?")
      .BindAll(author_id)
      .Run();
}

// One like counter: its name in the report, its table, key and column, and the favorites
// column whose value names the counter's row.
struct LikeCounter {
  std::string_view name;
  std::string_view table;
  std::string_view key;
  std::string_view column;
  std::string_view counted_by;
};

constexpr LikeCounter kLikeCounters[] = {
    {"video_favorite_counts.favorite_count", "video_favorite_counts", "video_id", "favorite_count",
     "video_id"},
    {"user_favorite_counts.favorite_count", "user_favorite_counts", "user_id", "favorite_count",
     "user_id"},
    {"user_favorite_counts.total_favorited", "user_favorite_counts", "user_id", "total_favorited",
     "author_id"},
};

// Sets the counter rows that differ from a count of their likes (COUNT(*) of no likes is 0,
// so a counter left behind by likes that are gone drops to 0), then creates the rows missing
// for keys that have likes. Returns how many rows both statements touched: the UPDATE
// matches only rows whose value changes, the INSERT only the new rows. The other column of
// a new user_favorite_counts row takes its default 0, and its own pass fixes it if needed.
std::int64_t RepairLikeCounter(db::Connection& conn, const LikeCounter& c) {
  const std::string t(c.table), k(c.key), col(c.column), by(c.counted_by);
  const std::string truth =
      "(SELECT COUNT(*) FROM favorites f WHERE f." + by + " = " + t + "." + k + ")";
  conn.Prepare("UPDATE " + t + " SET " + col + " = " + truth + " WHERE " + col + " <> " + truth)
      .Run();
  std::int64_t fixed = conn.Changes();
  conn.Prepare("INSERT INTO " + t + " (" + k + ", " + col + ") SELECT f." + by +
               ", COUNT(*) FROM favorites f WHERE NOT EXISTS (SELECT 1 FROM " + t + " c WHERE c." +
               k + " = f." + by + ") GROUP BY f." + by)
      .Run();
  fixed += conn.Changes();
  return fixed;
}

}  // namespace

bool SqlFavoriteRepository::AddFavorite(const Favorite& f) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT OR IGNORE INTO favorites (user_id, video_id, author_id, created_at_ms) "
            "VALUES (?, ?, ?, ?)")
        .BindAll(f.user_id, f.video_id, f.author_id, f.created_at_ms)
        .Run();
    // An ignored insert (the like exists) changes no row, and then no counter may move.
    if (conn.Changes() != 1) return false;
    CountLike(conn, f);
    events::Record(
        outbox_, conn,
        events::MakeEvent(events::EventKind::kVideoLiked, f.video_id, f.user_id, f.created_at_ms));
    return true;
  });
}

std::optional<std::int64_t> SqlFavoriteRepository::RemoveFavorite(std::int64_t user_id,
                                                                  std::int64_t video_id) {
  return db_.Write([&](db::Connection& conn) -> std::optional<std::int64_t> {
    // RETURNING gives the author recorded with the like, and a row only when one was deleted.
    auto deleted = conn.Prepare(
        "DELETE FROM favorites WHERE user_id = ? AND video_id = ? RETURNING author_id");
    deleted.BindAll(user_id, video_id);
    if (!deleted.Step()) return std::nullopt;
    const std::int64_t author_id = deleted.Int(0);
    deleted.Run();  // to completion: (user_id, video_id) is unique, so no second row
    UncountLike(conn, video_id, user_id, author_id);
    events::Record(outbox_, conn,
                   events::MakeEvent(events::EventKind::kVideoUnliked, video_id, user_id, 0));
    return author_id;
  });
}

std::int64_t SqlFavoriteRepository::RemoveLikesOfVideo(std::int64_t video_id) {
  return db_.Write([&](db::Connection& conn) {
    // Every removed like, read to the end before the counters move, names its liker and
    // the author it was counted for.
    std::vector<std::int64_t> likers;
    std::map<std::int64_t, std::int64_t> likes_by_author;
    {
      auto deleted =
          conn.Prepare("DELETE FROM favorites WHERE video_id = ? RETURNING user_id, author_id");
      deleted.BindAll(video_id);
      while (deleted.Step()) {
        likers.push_back(deleted.Int(0));
        ++likes_by_author[deleted.Int(1)];
      }
    }
    if (likers.empty()) return std::int64_t{0};  // nothing was liked, or already removed
    for (std::int64_t liker : likers) {
      conn.Prepare(
              "UPDATE user_favorite_counts SET favorite_count = favorite_count - 1 "
              "WHERE user_id = ?")
          .BindAll(liker)
          .Run();
    }
    for (const auto& [author, likes] : likes_by_author) {
      conn.Prepare(
              "UPDATE user_favorite_counts SET total_favorited = total_favorited - ? "
              "WHERE user_id = ?")
          .BindAll(likes, author)
          .Run();
    }
    conn.Prepare("DELETE FROM video_favorite_counts WHERE video_id = ?").BindAll(video_id).Run();
    return static_cast<std::int64_t>(likers.size());
  });
}

std::vector<CounterRepair> SqlFavoriteRepository::ReconcileCounters() {
  std::vector<CounterRepair> repairs;
  for (const LikeCounter& counter : kLikeCounters) {
    // A transaction per counter: each repair is short, and one counter's failure leaves the
    // repairs before it committed.
    const std::int64_t fixed =
        db_.Write([&](db::Connection& conn) { return RepairLikeCounter(conn, counter); });
    repairs.push_back(CounterRepair{std::string(counter.name), fixed});
  }
  return repairs;
}

std::vector<VideoLikeCount> SqlFavoriteRepository::MostLiked(int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<VideoLikeCount> top;
    // Walks video_favorite_counts_by_count backwards; a count of 0 (every like taken back)
    // is not a like.
    auto rows = conn.Prepare(
        "SELECT video_id, favorite_count FROM video_favorite_counts WHERE favorite_count > 0 "
        "ORDER BY favorite_count DESC, video_id DESC LIMIT ?");
    rows.BindAll(limit);
    while (rows.Step()) top.push_back(VideoLikeCount{rows.Int(0), rows.Int(1)});
    return top;
  });
}

std::vector<LikedVideo> SqlFavoriteRepository::ListLiked(std::int64_t user_id,
                                                         std::int64_t before_id, int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<LikedVideo> liked;
    auto rows = conn.Prepare(
        "SELECT id, video_id FROM favorites WHERE user_id = ? AND id < ? "
        "ORDER BY id DESC LIMIT ?");
    rows.BindAll(user_id, bound, limit);
    while (rows.Step()) liked.push_back(LikedVideo{rows.Int(0), rows.Int(1)});
    return liked;
  });
}

std::unordered_map<std::int64_t, std::int64_t> SqlFavoriteRepository::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  std::unordered_map<std::int64_t, std::int64_t> counts;
  if (video_ids.empty()) return counts;
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, {}, video_ids,
                 "SELECT video_id, favorite_count FROM video_favorite_counts WHERE video_id IN (",
                 ")", [&](const db::Statement& row) { counts[row.Int(0)] = row.Int(1); });
  });
  return counts;
}

std::unordered_set<std::int64_t> SqlFavoriteRepository::LikedAmong(
    std::int64_t user_id, std::span<const std::int64_t> video_ids) {
  std::unordered_set<std::int64_t> liked;
  if (video_ids.empty()) return liked;
  const std::int64_t leading[] = {user_id};
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, leading, video_ids,
                 "SELECT video_id FROM favorites WHERE user_id = ? AND video_id IN (", ")",
                 [&](const db::Statement& row) { liked.insert(row.Int(0)); });
  });
  return liked;
}

std::unordered_map<std::int64_t, UserFavoriteStat> SqlFavoriteRepository::CountByUsers(
    std::span<const std::int64_t> user_ids) {
  std::unordered_map<std::int64_t, UserFavoriteStat> stats;
  if (user_ids.empty()) return stats;
  db_.Read([&](db::Connection& conn) {
    ForEachChunk(conn, {}, user_ids,
                 "SELECT user_id, favorite_count, total_favorited FROM user_favorite_counts "
                 "WHERE user_id IN (",
                 ")", [&](const db::Statement& row) {
                   stats[row.Int(0)] = UserFavoriteStat{row.Int(1), row.Int(2)};
                 });
  });
  return stats;
}

}  // namespace reel::favorite
