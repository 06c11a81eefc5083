#include "kit/db/migrations.hpp"

#include <string>

#include "kit/log/log.hpp"

namespace reel::db {
namespace {

// A database migrated by a newer binary: refuse it rather than run on a schema we do not know.
Status NewerThanKnown(Database& db, std::string_view component, int current, int known) {
  return Internal("database " + db.Describe() + " has " + std::string(component) + " schema v" +
                  std::to_string(current) + ", newer than this binary knows (v" +
                  std::to_string(known) + ")");
}

Status NoTextForEngine(std::string_view component, const Migration& m) {
  return Internal(std::string(component) + " migration v" + std::to_string(m.version) +
                  " has no text for this engine");
}

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

namespace {

// MySQL: check-and-apply under a named lock held by one session, so processes that start at
// once apply each migration once. DDL commits as it goes on MySQL (each statement of a
// migration text runs alone: Connection::Exec splits it), so the lock, not the transaction,
// is what keeps two processes from interleaving.
Status ApplyMysqlMigrations(Database& db, std::string_view component,
                            std::span<const Migration> migrations) {
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const std::string lock_name = "reel_migrations_" + std::string(component);
  return db.Write([&](Connection& conn) -> Status {
    auto lock = conn.Prepare("SELECT GET_LOCK(?, 60)");
    lock.BindAll(lock_name);
    if (!lock.Step() || lock.Int(0) != 1) {
      return Unavailable("DATABASE_MIGRATION_LOCKED",
                         "another process held the migration lock of " + std::string(component) +
                             " on " + db.Describe() + " for 60 s");
    }
    lock.Run();
    struct Unlock {
      Connection& conn;
      const std::string& name;
      ~Unlock() {
        try {
          conn.Prepare("SELECT RELEASE_LOCK(?)").BindAll(name).Run();
        } catch (const Error&) {  // a lost session has released it already
        }
      }
    } unlock{conn, lock_name};
    conn.Exec(kCreateMysqlLedger);
    const int current = VersionOn(conn, component);
    if (current > known) return NewerThanKnown(db, component, current, known);
    for (const Migration& m : migrations) {
      if (m.version <= current) continue;
      if (m.mysql.empty()) return NoTextForEngine(component, m);
      conn.Exec(m.mysql);
      conn.Prepare(
              "INSERT INTO schema_migrations (component, version, description) VALUES (?, ?, ?)")
          .BindAll(component, m.version, m.description)
          .Run();
      log::Info("migration applied",
                {{"component", component}, {"version", m.version}, {"description", m.description}});
    }
    return Status::Ok();
  });
}

}  // namespace

Status ApplyMigrations(Database& db, std::string_view component,
                       std::span<const Migration> migrations) {
  if (db.engine() == Engine::kMysql) return ApplyMysqlMigrations(db, component, migrations);
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const int current = CurrentVersion(db, component);
  if (current > known) return NewerThanKnown(db, component, current, known);
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    const std::string_view sql = db.engine() == Engine::kMysql ? m.mysql : m.sqlite;
    if (sql.empty()) return NoTextForEngine(component, m);
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
