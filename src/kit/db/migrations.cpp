#include "kit/db/migrations.hpp"

#include <string>

#include "kit/log/log.hpp"

namespace reel::db {
namespace {

constexpr std::string_view kCreateSqliteLedger = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  component   TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  description TEXT    NOT NULL,
  applied_at  INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
  PRIMARY KEY (component, version)
))sql";

constexpr std::string_view kCreateMysqlLedger = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  component   VARCHAR(64)  NOT NULL,
  version     INT          NOT NULL,
  description VARCHAR(255) NOT NULL,
  applied_at  BIGINT       NOT NULL DEFAULT (UNIX_TIMESTAMP()),
  PRIMARY KEY (component, version)
) ENGINE=InnoDB)sql";

std::string_view LedgerFor(Engine engine) {
  return engine == Engine::kMysql ? kCreateMysqlLedger : kCreateSqliteLedger;
}

int VersionOn(Connection& conn, std::string_view component) {
  auto stmt =
      conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?");
  stmt.BindAll(component);
  return stmt.Step() ? static_cast<int>(stmt.Int(0)) : 0;
}

}  // namespace

int CurrentVersion(Database& db, std::string_view component) {
  return db.Write([&](Connection& conn) {
    conn.Exec(LedgerFor(db.engine()));
    return VersionOn(conn, component);
  });
}

Status ApplyMigrations(Database& db, std::string_view component,
                       std::span<const Migration> migrations) {
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const int current = CurrentVersion(db, component);
  if (current > known) {
    return Internal("database " + db.Describe() + " has " + std::string(component) + " schema v" +
                    std::to_string(current) + ", newer than this binary knows (v" +
                    std::to_string(known) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    const std::string_view sql = db.engine() == Engine::kMysql ? m.mysql : m.sqlite;
    if (sql.empty()) {
      return Internal(std::string(component) + " migration v" + std::to_string(m.version) +
                      " has no text for this engine");
    }
    db.Write([&](Connection& conn) {
      // Re-checked inside the transaction: another process may have applied it meanwhile.
      if (VersionOn(conn, component) >= m.version) return;
      conn.Exec(sql);
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
