#include "moderation/store/sql_moderation_repository.hpp"

#include <limits>
#include <string>

namespace reel::moderation {
namespace {

constexpr std::string_view kReportColumns =
    "id, reporter_id, target_type, target_id, reason, text, status, created_at_ms, "
    "resolved_by, resolved_at_ms, resolution";

Report ReadReport(const db::Statement& row) {
  Report r;
  r.id = row.Int(0);
  r.reporter_id = row.Int(1);
  r.target = {static_cast<TargetType>(row.Int(2)), row.Int(3)};
  r.reason = static_cast<ReportReason>(row.Int(4));
  r.text = row.Text(5);
  r.status = static_cast<ReportStatus>(row.Int(6));
  r.created_at_ms = row.Int(7);
  r.resolved_by = row.Int(8);
  r.resolved_at_ms = row.Int(9);
  r.resolution = row.Text(10);
  return r;
}

std::int64_t TypeOf(const Target& target) {
  return static_cast<std::int64_t>(target.type);
}

std::optional<Report> FindIn(db::Connection& conn, std::int64_t id) {
  auto row = conn.Prepare("SELECT " + std::string(kReportColumns) + " FROM reports WHERE id = ?");
  row.BindAll(id);
  if (!row.Step()) return std::nullopt;
  Report report = ReadReport(row);
  row.Run();
  return report;
}

// Writes the target's open_report_counts row (creating it at 0) before anything about the
// target is read: on MariaDB that locks it, so AddReport and ResolveTarget on one target run
// one after the other and each reads what the one before committed. The no-op upsert moves
// nothing.
void LockTarget(db::Connection& conn, const Target& target) {
  conn.Prepare(
          "INSERT INTO open_report_counts (target_type, target_id) VALUES (?, ?) "
          "ON CONFLICT (target_type, target_id) DO UPDATE SET reporters = reporters")
      .BindAll(TypeOf(target), target.id)
      .Run();
}

// One more row than asked tells whether another page follows; its cursor is the last id
// shown (the next page reads ids below it).
template <typename T>
Page<T> Paged(std::vector<T> rows, int limit) {
  Page<T> page;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = rows.back().id;
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace

StoredReport SqlModerationRepository::AddReport(const Report& report, std::int64_t hide_threshold) {
  return db_.Write([&](db::Connection& conn) {
    StoredReport out;
    LockTarget(conn, report.target);
    // The unique key on open reports decides (not a read before the write): of two equal
    // reports at once, one inserts and the other finds it.
    conn.Prepare(
            "INSERT OR IGNORE INTO reports (reporter_id, target_type, target_id, reason, text, "
            "created_at_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .BindAll(report.reporter_id, TypeOf(report.target), report.target.id,
                 static_cast<std::int64_t>(report.reason), report.text, report.created_at_ms)
        .Run();
    if (conn.Changes() == 1) {
      out.report = *FindIn(conn, conn.LastInsertId());
      out.changed = true;
      conn.Prepare(
              "UPDATE open_report_counts SET reporters = reporters + 1 "
              "WHERE target_type = ? AND target_id = ?")
          .BindAll(TypeOf(report.target), report.target.id)
          .Run();
    } else {
      auto existing = conn.Prepare(
          "SELECT id FROM reports WHERE target_type = ? AND target_id = ? AND reporter_id = ? "
          "AND status = 1");
      existing.BindAll(TypeOf(report.target), report.target.id, report.reporter_id);
      // SQLite's OR IGNORE also skips a row a CHECK refuses (MariaDB raises the CHECK's
      // error): either way an error, as without IGNORE.
      if (!existing.Step()) {
        throw db::Error(db::Error::Kind::kConstraint, 0,
                        "the report was refused by a constraint of the reports table");
      }
      const std::int64_t id = existing.Int(0);
      existing.Run();
      out.report = *FindIn(conn, id);
    }
    auto count = conn.Prepare(
        "SELECT reporters FROM open_report_counts WHERE target_type = ? AND target_id = ?");
    count.BindAll(TypeOf(report.target), report.target.id);
    out.open_reporters = count.Step() ? count.Int(0) : 0;
    count.Run();
    if (out.changed && out.open_reporters >= hide_threshold) {
      conn.Prepare(
              "INSERT OR IGNORE INTO hidden_targets (target_type, target_id, hidden_at_ms) "
              "VALUES (?, ?, ?)")
          .BindAll(TypeOf(report.target), report.target.id, report.created_at_ms)
          .Run();
      out.reached_threshold = conn.Changes() == 1;
    }
    return out;
  });
}

std::optional<Report> SqlModerationRepository::FindReport(std::int64_t id) {
  return db_.Read([&](db::Connection& conn) { return FindIn(conn, id); });
}

Page<Report> SqlModerationRepository::ListReports(ReportStatus status, std::int64_t cursor,
                                                  int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<Report> rows;
    auto stmt = conn.Prepare("SELECT " + std::string(kReportColumns) +
                             " FROM reports WHERE status = ? AND id < ? ORDER BY id DESC LIMIT ?");
    stmt.BindAll(static_cast<std::int64_t>(status),
                 cursor > 0 ? cursor : std::numeric_limits<std::int64_t>::max(),
                 std::int64_t{limit} + 1);
    while (stmt.Step()) rows.push_back(ReadReport(stmt));
    return Paged(std::move(rows), limit);
  });
}

bool SqlModerationRepository::IsHiddenByReports(const Target& target) {
  return db_.Read([&](db::Connection& conn) {
    auto row = conn.Prepare("SELECT 1 FROM hidden_targets WHERE target_type = ? AND target_id = ?");
    row.BindAll(TypeOf(target), target.id);
    const bool found = row.Step();
    row.Run();
    return found;
  });
}

std::int64_t SqlModerationRepository::ResolveTarget(const Target& target, ReportStatus status,
                                                    std::int64_t moderator, std::int64_t at_ms,
                                                    std::string_view resolution) {
  return db_.Write([&](db::Connection& conn) {
    LockTarget(conn, target);
    conn.Prepare(
            "UPDATE reports SET status = ?, resolved_by = ?, resolved_at_ms = ?, resolution = ? "
            "WHERE target_type = ? AND target_id = ? AND status = 1")
        .BindAll(static_cast<std::int64_t>(status), moderator, at_ms, resolution, TypeOf(target),
                 target.id)
        .Run();
    const std::int64_t resolved = conn.Changes();
    // Every open report of the target is closed now.
    conn.Prepare(
            "UPDATE open_report_counts SET reporters = 0 WHERE target_type = ? AND target_id = ?")
        .BindAll(TypeOf(target), target.id)
        .Run();
    conn.Prepare("DELETE FROM hidden_targets WHERE target_type = ? AND target_id = ?")
        .BindAll(TypeOf(target), target.id)
        .Run();
    return resolved;
  });
}

void SqlModerationRepository::Unmark(const Target& target) {
  db_.Write([&](db::Connection& conn) {
    conn.Prepare("DELETE FROM hidden_targets WHERE target_type = ? AND target_id = ?")
        .BindAll(TypeOf(target), target.id)
        .Run();
  });
}

std::int64_t SqlModerationRepository::RecordAction(const Action& action) {
  return db_.Write([&](db::Connection& conn) {
    conn.Prepare(
            "INSERT INTO actions (moderator_id, action, target_type, target_id, reason, at_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)")
        .BindAll(action.moderator_id, action.action, TypeOf(action.target), action.target.id,
                 action.reason, action.at_ms)
        .Run();
    return conn.LastInsertId();
  });
}

Page<Action> SqlModerationRepository::ListActions(std::int64_t cursor, int limit) {
  return db_.Read([&](db::Connection& conn) {
    std::vector<Action> rows;
    auto stmt = conn.Prepare(
        "SELECT id, moderator_id, action, target_type, target_id, reason, at_ms FROM actions "
        "WHERE id < ? ORDER BY id DESC LIMIT ?");
    stmt.BindAll(cursor > 0 ? cursor : std::numeric_limits<std::int64_t>::max(),
                 std::int64_t{limit} + 1);
    while (stmt.Step()) {
      rows.push_back(Action{stmt.Int(0), stmt.Int(1), stmt.Text(2),
                            Target{static_cast<TargetType>(stmt.Int(3)), stmt.Int(4)}, stmt.Text(5),
                            stmt.Int(6)});
    }
    return Paged(std::move(rows), limit);
  });
}

}  // namespace reel::moderation
