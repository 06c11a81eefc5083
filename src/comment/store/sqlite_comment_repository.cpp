#include "comment/store/sqlite_comment_repository.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace reel::comment {
namespace {

constexpr std::string_view kCommentSelect =
    "SELECT id, video_id, user_id, content, created_at_ms FROM comments";

Comment ReadComment(const db::Statement& row) {
  return Comment{row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Int(4)};
}

std::optional<Comment> FindIn(db::Connection& conn, std::int64_t id) {
  auto row = conn.Prepare(std::string(kCommentSelect) + " WHERE id = ?");
  row.BindAll(id);
  if (!row.Step()) return std::nullopt;
  return ReadComment(row);
}

// "?,?,?" for n placeholders.
std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

}  // namespace

Comment SqliteCommentRepository::Create(const NewComment& c) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT INTO comments (video_id, user_id, content, created_at_ms) "
            "VALUES (?, ?, ?, ?)")
        .BindAll(c.video_id, c.user_id, c.content, c.created_at_ms)
        .Run();
    const std::int64_t id = conn.LastInsertId();
    conn.Prepare(
            "INSERT INTO video_comment_counts (video_id, comment_count) VALUES (?, 1) "
            "ON CONFLICT (video_id) DO UPDATE SET comment_count = comment_count + 1")
        .BindAll(c.video_id)
        .Run();
    return Comment{id, c.video_id, c.user_id, c.content, c.created_at_ms};
  });
}

std::optional<Comment> SqliteCommentRepository::FindById(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) { return FindIn(conn, id); });
}

Result<Comment> SqliteCommentRepository::Delete(std::int64_t id) {
  return db_.Write([&](db::Connection& conn) -> Result<Comment> {
    // Read again inside the transaction: a concurrent delete may have won since the caller
    // looked, and then this one must change nothing.
    auto comment = FindIn(conn, id);
    if (!comment) {
      return NotFound("COMMENT_NOT_FOUND", "comment " + std::to_string(id) + " does not exist");
    }
    conn.Prepare("DELETE FROM comments WHERE id = ?").BindAll(id).Run();
    conn.Prepare(
            "UPDATE video_comment_counts SET comment_count = comment_count - 1 "
            "WHERE video_id = ?")
        .BindAll(comment->video_id)
        .Run();
    // A stored comment always has its count row; without one the counts have drifted, and
    // a failed Status rolls the delete back rather than deepen that.
    if (conn.Changes() != 1) {
      return Internal("comment count of video " + std::to_string(comment->video_id) +
                      " is missing");
    }
    return std::move(*comment);
  });
}

std::int64_t SqliteCommentRepository::RemoveCommentsOfVideo(std::int64_t video_id) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM comments WHERE video_id = ?").BindAll(video_id).Run();
    const std::int64_t removed = conn.Changes();
    // The count row goes with the comments: a deleted video has none, and keeping a row at
    // 0 would only grow the table.
    conn.Prepare("DELETE FROM video_comment_counts WHERE video_id = ?").BindAll(video_id).Run();
    return removed;
  });
}

std::vector<Comment> SqliteCommentRepository::List(std::int64_t video_id, std::int64_t before_id,
                                                   int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  return db_.Read([&](db::Connection& conn) {
    std::vector<Comment> comments;
    auto rows = conn.Prepare(std::string(kCommentSelect) +
                             " WHERE video_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    rows.BindAll(video_id, bound, limit);
    while (rows.Step()) comments.push_back(ReadComment(rows));
    return comments;
  });
}

std::unordered_map<std::int64_t, std::int64_t> SqliteCommentRepository::CountByVideos(
    std::span<const std::int64_t> video_ids) {
  std::unordered_map<std::int64_t, std::int64_t> counts;
  if (video_ids.empty()) return counts;
  // Chunks of a fixed size bound the statement length and keep the statement cache small;
  // a page of videos fits in one.
  constexpr std::size_t kChunk = 64;
  db_.Read([&](db::Connection& conn) {
    for (std::size_t at = 0; at < video_ids.size(); at += kChunk) {
      const auto chunk = video_ids.subspan(at, std::min(kChunk, video_ids.size() - at));
      auto rows = conn.Prepare(
          "SELECT video_id, comment_count FROM video_comment_counts WHERE video_id IN (" +
          Placeholders(chunk.size()) + ")");
      for (std::size_t i = 0; i < chunk.size(); ++i) rows.Bind(static_cast<int>(i + 1), chunk[i]);
      while (rows.Step()) counts[rows.Int(0)] = rows.Int(1);
    }
  });
  return counts;
}

std::vector<VideoCommentCount> SqliteCommentRepository::MostCommented(int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<VideoCommentCount> top;
    // Walks video_comment_counts_by_count backwards; a count of 0 (every comment deleted)
    // is not a comment.
    auto rows = conn.Prepare(
        "SELECT video_id, comment_count FROM video_comment_counts WHERE comment_count > 0 "
        "ORDER BY comment_count DESC, video_id DESC LIMIT ?");
    rows.BindAll(limit);
    while (rows.Step()) top.push_back(VideoCommentCount{rows.Int(0), rows.Int(1)});
    return top;
  });
}

}  // namespace reel::comment
