#include "kit/db/migrations.hpp"

#include <string>

#include "kit/log/log.hpp"

namespace reel::db {
namespace {

constexpr std::string_view kCreateLedger = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  component   TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  description TEXT    NOT NULL,
  applied_at  INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
  PRIMARY KEY (component, version)
))sql";

int VersionOn(Connection& conn, std::string_view component) {
  auto stmt =
      conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?");
  stmt.BindAll(component);
  return stmt.Step() ? static_cast<int>(stmt.Int(0)) : 0;
}

}  // namespace

int CurrentVersion(SqliteDb& db, std::string_view component) {
  return db.Write([&](Connection& conn) {
    conn.Exec(kCreateLedger);
    return VersionOn(conn, component);
  });
}

Status ApplyMigrations(SqliteDb& db, std::string_view component,
                       std::span<const Migration> migrations) {
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const int current = CurrentVersion(db, component);
  if (current > known) {
    return Internal("database " + db.path() + " has " + std::string(component) + " schema v" +
                    std::to_string(current) + ", newer than this binary knows (v" +
                    std::to_string(known) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    db.Write([&](Connection& conn) {
      // Re-checked inside the transaction: another process may have applied it meanwhile.
      if (VersionOn(conn, component) >= m.version) return;
      conn.Exec(m.sql);
      conn.Prepare(
              "INSERT INTO schema_migrations (component, version, description) VALUES (?, ?, ?)")
          .BindAll(component, m.version, m.description)
          .Run();
    });
    log::Info("migration applied",
              {{"component", component}, {"version", m.version}, {"description", m.description}});
  }
  return Status::Ok();
}

}  // namespace reel::db
