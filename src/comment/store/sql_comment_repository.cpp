#include "comment/store/sql_comment_repository.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>

namespace reel::comment {
namespace {

// Columns of `c` (the comment) in the order ReadComment reads them.
constexpr std::string_view kColumns =
    "c.id, c.video_id, c.user_id, c.content, c.created_at_ms, c.parent_id, c.reply_to_user_id, "
    "c.reply_to_comment_id, c.hidden";

Comment ReadComment(const db::Statement& row) {
  return Comment{row.Int(0), row.Int(1), row.Int(2), row.Text(3),    row.Int(4),
                 row.Int(5), row.Int(6), row.Int(7), row.Int(8) != 0};
}

std::string Select(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM comments c " + std::string(rest);
}

std::optional<Comment> FindIn(db::Connection& conn, std::int64_t id) {
  auto row = conn.Prepare(Select("WHERE c.id = ?"));
  row.BindAll(id);
  if (!row.Step()) return std::nullopt;
  return ReadComment(row);
}

Status CommentNotFound(std::int64_t id) {
  return NotFound("COMMENT_NOT_FOUND", "comment " + std::to_string(id) + " does not exist");
}

// "?,?,?" for n placeholders.
std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// The excluded authors travel as `NOT IN (?,...)` (json_each, which SQLite used here, is
// SQLite's own). The list is padded to one of a few lengths by repeating its last id, which
// excludes nobody more, so a statement has a handful of texts (and cached preparations)
// however many authors a viewer blocked: 4, 16, 64, 256, 1024, 4096, then multiples of 4096.
// Viewers block at most 2000 users (RelationClient::BlockedIds), well under both engines'
// limits on parameters.
std::size_t PaddedLength(std::size_t n) {
  if (n == 0) return 0;
  constexpr std::size_t kLargest = 4096;
  std::size_t length = 4;
  while (length < n && length < kLargest) length *= 4;
  if (n > length) length = (n + kLargest - 1) / kLargest * kLargest;
  return length;
}

// What a CommentFilter lets through, for a statement over `c`: hidden comments only to their
// author, and nobody the viewer excluded. BindFilter binds its parameters.
std::string FilterSql(const CommentFilter& filter) {
  std::string sql = " AND (c.hidden = 0 OR c.user_id = ?)";
  if (const std::size_t n = PaddedLength(filter.excluded_authors.size()); n > 0) {
    sql += " AND c.user_id NOT IN (" + Placeholders(n) + ")";
  }
  return sql;
}

// Binds FilterSql's parameters from `index` on; returns the next index.
int BindFilter(db::Statement& statement, int index, const CommentFilter& filter) {
  statement.Bind(index++, filter.viewer_id);
  const auto& excluded = filter.excluded_authors;
  const std::size_t n = PaddedLength(excluded.size());
  for (std::size_t i = 0; i < n; ++i) {
    statement.Bind(index++, excluded[std::min(i, excluded.size() - 1)]);
  }
  return index;
}

// Adds `delta` to a video's count; a stored visible comment always has its count row, so a
// missing one means the counts drifted, and the failed Status rolls the write back.
Status MoveCount(db::Connection& conn, std::int64_t video_id, std::int64_t delta) {
  if (delta == 0) return Status::Ok();
  if (delta > 0) {
    conn.Prepare(
            "INSERT INTO video_comment_counts (video_id, comment_count) VALUES (?, ?) "
            "ON CONFLICT (video_id) DO UPDATE SET comment_count = comment_count + "
            "excluded.comment_count")
        .BindAll(video_id, delta)
        .Run();
    return Status::Ok();
  }
  conn.Prepare(
          "UPDATE video_comment_counts SET comment_count = comment_count + ? WHERE video_id = ?")
      .BindAll(delta, video_id)
      .Run();
  if (conn.Changes() != 1) {
    return Internal("comment count of video " + std::to_string(video_id) + " is missing");
  }
  return Status::Ok();
}

// On MariaDB (READ COMMITTED) a plain read inside a transaction neither locks nor waits, and
// without gap locks a cascade's DELETE does not stop a comment inserted behind it. So every
// write of a video's comments first takes the row lock of the video's count row, which it
// would write later anyway, and only then reads: writes of one video run one after the
// other, each reading what the one before committed (does the parent exist, is it hidden,
// how many replies count), and a comment is never committed between a cascade's deletes.
// One lock per write, always taken first, so these locks cannot deadlock. SQLite's single
// writer serialises writes anyway; the statements are the same on both engines.
//
// For a write that may add the video's first comment, or remove them all: the no-op upsert
// creates the row (at 0) when there is none, and a racing writer waits on that new row.
void LockVideoCreatingCount(db::Connection& conn, std::int64_t video_id) {
  conn.Prepare(
          "INSERT INTO video_comment_counts (video_id, comment_count) VALUES (?, 0) "
          "ON CONFLICT (video_id) DO UPDATE SET comment_count = comment_count")
      .BindAll(video_id)
      .Run();
}

// Comment `id` read under its video's lock, or nullopt when it does not exist. An existing
// comment's video has its count row, so a plain UPDATE locks it; should the row be missing
// (the counts drifted), MoveCount reports it.
std::optional<Comment> FindLocked(db::Connection& conn, std::int64_t id) {
  const auto seen = FindIn(conn, id);
  if (!seen) return std::nullopt;
  // video_id never changes, so the unlocked read names the right video.
  conn.Prepare("UPDATE video_comment_counts SET comment_count = comment_count WHERE video_id = ?")
      .BindAll(seen->video_id)
      .Run();
  return FindIn(conn, id);  // again: a writer that held the lock may have changed or deleted it
}

// Replies under `parent_id` that count (not hidden themselves).
std::int64_t ShownReplies(db::Connection& conn, std::int64_t parent_id) {
  auto row = conn.Prepare("SELECT COUNT(*) FROM comments WHERE parent_id = ? AND hidden = 0");
  row.BindAll(parent_id);
  row.Step();
  return row.Int(0);
}

// Whether a comment counts: it is not hidden, nor is the top-level comment it sits under.
bool Counts(db::Connection& conn, const Comment& c) {
  if (c.hidden) return false;
  if (c.parent_id == 0) return true;
  auto parent = FindIn(conn, c.parent_id);
  return parent && !parent->hidden;
}

}  // namespace

Result<Comment> SqlCommentRepository::Create(const NewComment& c) {
  return db_.Write([&](db::Connection& conn) -> Result<Comment> {
    LockVideoCreatingCount(conn, c.video_id);
    bool counts = true;
    if (c.parent_id != 0) {
      // Checked in the transaction that inserts, under the video's lock: a parent deleted
      // or hidden since the caller looked would otherwise leave this reply behind, counted
      // and unreachable, or counted under a hidden thread.
      auto answered = FindIn(conn, c.reply_to_comment_id);
      auto parent = FindIn(conn, c.parent_id);
      if (!answered || answered->video_id != c.video_id) {
        return CommentNotFound(c.reply_to_comment_id);
      }
      if (!parent || parent->video_id != c.video_id || parent->parent_id != 0) {
        return CommentNotFound(c.parent_id);
      }
      counts = !parent->hidden;
    }
    conn.Prepare(
            "INSERT INTO comments (video_id, user_id, content, created_at_ms, parent_id, "
            "reply_to_user_id, reply_to_comment_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .BindAll(c.video_id, c.user_id, c.content, c.created_at_ms, c.parent_id, c.reply_to_user_id,
                 c.reply_to_comment_id)
        .Run();
    const std::int64_t id = conn.LastInsertId();
    if (Status s = MoveCount(conn, c.video_id, counts ? 1 : 0); !s.ok()) return s;
    events::Record(outbox_, conn,
                   events::MakeEvent(events::EventKind::kCommentCreated, c.video_id, c.user_id,
                                     c.created_at_ms));
    return Comment{id,
                   c.video_id,
                   c.user_id,
                   c.content,
                   c.created_at_ms,
                   c.parent_id,
                   c.reply_to_user_id,
                   c.reply_to_comment_id,
                   false};
  });
}

std::optional<Comment> SqlCommentRepository::FindById(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) { return FindIn(conn, id); });
}

std::vector<Comment> SqlCommentRepository::FindMany(std::span<const std::int64_t> ids) {
  std::vector<Comment> found;
  db_.Read([&](db::Connection& conn) {
    for (std::int64_t id : ids) {
      if (auto c = FindIn(conn, id)) found.push_back(std::move(*c));
    }
  });
  return found;
}

Result<Comment> SqlCommentRepository::Delete(std::int64_t id) {
  return db_.Write([&](db::Connection& conn) -> Result<Comment> {
    // Read again inside the transaction: a concurrent delete may have won since the caller
    // looked, and then this one must change nothing.
    auto comment = FindLocked(conn, id);
    if (!comment) return CommentNotFound(id);
    std::int64_t uncounted = Counts(conn, *comment) ? 1 : 0;
    if (comment->parent_id == 0) {
      // Its replies go with it; those that counted stop counting (none did if it was hidden).
      if (!comment->hidden) uncounted += ShownReplies(conn, id);
      conn.Prepare("DELETE FROM comments WHERE parent_id = ?").BindAll(id).Run();
    }
    conn.Prepare("DELETE FROM comments WHERE id = ?").BindAll(id).Run();
    if (Status s = MoveCount(conn, comment->video_id, -uncounted); !s.ok()) return s;
    events::Record(outbox_, conn,
                   events::MakeEvent(events::EventKind::kCommentDeleted, comment->video_id,
                                     comment->user_id, 0));
    return std::move(*comment);
  });
}

Result<Comment> SqlCommentRepository::SetHidden(std::int64_t id, bool hidden) {
  return db_.Write([&](db::Connection& conn) -> Result<Comment> {
    auto comment = FindLocked(conn, id);
    if (!comment) return CommentNotFound(id);
    if (comment->hidden == hidden) return std::move(*comment);
    // What becomes (in)visible: the comment itself, unless its parent hides it anyway; a
    // top-level comment also its replies that are not hidden themselves.
    std::int64_t moved = 0;
    if (comment->parent_id == 0) {
      moved = 1 + ShownReplies(conn, id);
    } else {
      auto parent = FindIn(conn, comment->parent_id);
      moved = parent && !parent->hidden ? 1 : 0;
    }
    conn.Prepare("UPDATE comments SET hidden = ? WHERE id = ?").BindAll(hidden ? 1 : 0, id).Run();
    if (Status s = MoveCount(conn, comment->video_id, hidden ? -moved : moved); !s.ok()) return s;
    comment->hidden = hidden;
    return std::move(*comment);
  });
}

std::int64_t SqlCommentRepository::RemoveCommentsOfVideo(std::int64_t video_id) {
  return db_.Write([&](db::Connection& conn) {
    LockVideoCreatingCount(conn, video_id);  // a comment racing in waits, then counts anew
    conn.Prepare("DELETE FROM comments WHERE video_id = ?").BindAll(video_id).Run();
    const std::int64_t removed = conn.Changes();
    // The count row goes with the comments: a deleted video has none, and keeping a row at
    // 0 would only grow the table.
    conn.Prepare("DELETE FROM video_comment_counts WHERE video_id = ?").BindAll(video_id).Run();
    return removed;
  });
}

std::vector<Comment> SqlCommentRepository::List(std::int64_t video_id, bool top_level_only,
                                                const CommentFilter& filter, std::int64_t before_id,
                                                int limit) {
  const std::int64_t bound = before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
  // Every comment: a reply under a hidden top-level comment is shown only where that
  // comment is, to its author. Top-level only: the join finds nothing.
  const std::string sql =
      Select(std::string("LEFT JOIN comments p ON p.id = c.parent_id WHERE c.video_id = ? AND ") +
             (top_level_only ? "c.parent_id = 0 AND " : "") +
             "c.id < ? AND (p.id IS NULL OR p.hidden = 0 OR p.user_id = ?)" + FilterSql(filter) +
             " ORDER BY c.id DESC LIMIT ?");
  return db_.Read([&](db::Connection& conn) {
    std::vector<Comment> comments;
    auto rows = conn.Prepare(sql);
    rows.BindAll(video_id, bound, filter.viewer_id);
    rows.Bind(BindFilter(rows, 4, filter), limit);
    while (rows.Step()) comments.push_back(ReadComment(rows));
    return comments;
  });
}

std::vector<Comment> SqlCommentRepository::ListReplies(std::int64_t parent_id,
                                                       const CommentFilter& filter,
                                                       std::int64_t after_id, int limit) {
  const std::string sql = Select("WHERE c.parent_id = ? AND c.id > ?" + FilterSql(filter) +
                                 " ORDER BY c.id ASC LIMIT ?");
  return db_.Read([&](db::Connection& conn) {
    std::vector<Comment> replies;
    auto rows = conn.Prepare(sql);
    rows.BindAll(parent_id, std::max<std::int64_t>(after_id, 0));
    rows.Bind(BindFilter(rows, 3, filter), limit);
    while (rows.Step()) replies.push_back(ReadComment(rows));
    return replies;
  });
}

std::unordered_map<std::int64_t, std::int64_t> SqlCommentRepository::CountReplies(
    std::span<const std::int64_t> parent_ids, const CommentFilter& filter) {
  std::unordered_map<std::int64_t, std::int64_t> counts;
  const std::string sql =
      "SELECT COUNT(*) FROM comments c WHERE c.parent_id = ?" + FilterSql(filter);
  db_.Read([&](db::Connection& conn) {
    for (std::int64_t parent : parent_ids) {
      auto row = conn.Prepare(sql);
      row.BindAll(parent);
      BindFilter(row, 2, filter);
      if (row.Step() && row.Int(0) > 0) counts[parent] = row.Int(0);
    }
  });
  return counts;
}

std::unordered_map<std::int64_t, std::int64_t> SqlCommentRepository::CountByVideos(
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

std::vector<VideoCommentCount> SqlCommentRepository::MostCommented(int limit) {
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

std::vector<CounterRepair> SqlCommentRepository::ReconcileCounters() {
  // What counts, as Counts() decides it for one comment: not hidden, and either top-level or
  // under a top-level comment that exists and is not hidden (p.hidden is NULL without one).
  constexpr std::string_view kVisible = "c.hidden = 0 AND (c.parent_id = 0 OR p.hidden = 0)";
  constexpr std::string_view kWithParent =
      "FROM comments c LEFT JOIN comments p ON p.id = c.parent_id ";
  const std::string truth = "(SELECT COUNT(*) " + std::string(kWithParent) +
                            "WHERE c.video_id = video_comment_counts.video_id AND " +
                            std::string(kVisible) + ")";
  const std::int64_t fixed = db_.Write([&](db::Connection& conn) {
    // A count row of a video without comments drops to 0 rather than going: a row at 0 is
    // what Delete leaves too.
    conn.Prepare("UPDATE video_comment_counts SET comment_count = " + truth +
                 " WHERE comment_count <> " + truth)
        .Run();
    std::int64_t rows = conn.Changes();
    // Every video with comments gets its row, even at 0 (all hidden): the writes of a
    // video's comments lock it first (FindLocked), and MoveCount expects it.
    conn.Prepare(
            "INSERT INTO video_comment_counts (video_id, comment_count) SELECT c.video_id, "
            "SUM(CASE WHEN " +
            std::string(kVisible) + " THEN 1 ELSE 0 END) " + std::string(kWithParent) +
            "WHERE NOT EXISTS (SELECT 1 FROM video_comment_counts k "
            "WHERE k.video_id = c.video_id) GROUP BY c.video_id")
        .Run();
    rows += conn.Changes();
    return rows;
  });
  return {CounterRepair{"video_comment_counts.comment_count", fixed}};
}

}  // namespace reel::comment
