#include "moderation/store/moderation_migrations.hpp"

namespace reel::moderation {
namespace {

constexpr db::Migration kMigrations[] = {
    // Reports: one open report per reporter and target (the partial unique index), listed
    // newest first by status; hidden_targets marks what reports hid (so a dismissal knows
    // to show it again, and racing reporters hide it once); actions is the moderators' log.
    {1, "reports, hidden targets, actions", R"sql(
CREATE TABLE reports (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  reporter_id    INTEGER NOT NULL,
  target_type    INTEGER NOT NULL CHECK (target_type IN (1, 2, 3)),
  target_id      INTEGER NOT NULL,
  reason         INTEGER NOT NULL CHECK (reason BETWEEN 1 AND 8),
  text           TEXT    NOT NULL DEFAULT '',
  status         INTEGER NOT NULL DEFAULT 1 CHECK (status IN (1, 2, 3)),
  created_at_ms  INTEGER NOT NULL,
  resolved_by    INTEGER NOT NULL DEFAULT 0,
  resolved_at_ms INTEGER NOT NULL DEFAULT 0,
  resolution     TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX reports_open_once ON reports (target_type, target_id, reporter_id)
  WHERE status = 1;
CREATE INDEX reports_by_status ON reports (status, id);
CREATE TABLE hidden_targets (
  target_type  INTEGER NOT NULL,
  target_id    INTEGER NOT NULL,
  hidden_at_ms INTEGER NOT NULL,
  PRIMARY KEY (target_type, target_id)
) WITHOUT ROWID;
CREATE TABLE actions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  moderator_id INTEGER NOT NULL,
  action       TEXT    NOT NULL,
  target_type  INTEGER NOT NULL,
  target_id    INTEGER NOT NULL,
  reason       TEXT    NOT NULL DEFAULT '',
  at_ms        INTEGER NOT NULL
);
)sql",
     // MySQL has no partial index: `open_once` is 1 for an open report and NULL otherwise,
     // and a unique key admits any number of NULLs, so reports_open_once refuses a second
     // open report of a reporter and target only, as SQLite's WHERE status = 1 does.
     // hidden_targets is clustered on its primary key as SQLite's WITHOUT ROWID table is.
     R"sql(
CREATE TABLE reports (
  id             BIGINT  NOT NULL AUTO_INCREMENT PRIMARY KEY,
  reporter_id    BIGINT  NOT NULL,
  target_type    BIGINT  NOT NULL CHECK (target_type IN (1, 2, 3)),
  target_id      BIGINT  NOT NULL,
  reason         BIGINT  NOT NULL CHECK (reason BETWEEN 1 AND 8),
  text           TEXT    NOT NULL DEFAULT '',
  status         BIGINT  NOT NULL DEFAULT 1 CHECK (status IN (1, 2, 3)),
  created_at_ms  BIGINT  NOT NULL,
  resolved_by    BIGINT  NOT NULL DEFAULT 0,
  resolved_at_ms BIGINT  NOT NULL DEFAULT 0,
  resolution     TEXT    NOT NULL DEFAULT '',
  open_once      TINYINT AS (CASE WHEN status = 1 THEN 1 END) STORED
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE UNIQUE INDEX reports_open_once ON reports (target_type, target_id, reporter_id, open_once);
CREATE INDEX reports_by_status ON reports (status, id);
CREATE TABLE hidden_targets (
  target_type  BIGINT NOT NULL,
  target_id    BIGINT NOT NULL,
  hidden_at_ms BIGINT NOT NULL,
  PRIMARY KEY (target_type, target_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE actions (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  moderator_id BIGINT NOT NULL,
  action       TEXT   NOT NULL,
  target_type  BIGINT NOT NULL,
  target_id    BIGINT NOT NULL,
  reason       TEXT   NOT NULL DEFAULT '',
  at_ms        BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
)sql"},
    // Issue 18: the open reports per target (one per reporter), kept in step with reports in
    // the same transactions. AddReport and ResolveTarget write a target's row before they
    // read anything, so on MariaDB (where a plain read inside a transaction neither locks
    // nor waits) two reporters at once still count each other and the threshold hides the
    // target once; SQLite's single writer needed no such row.
    {2, "open report counts (issue 18)", R"sql(
CREATE TABLE open_report_counts (
  target_type INTEGER NOT NULL,
  target_id   INTEGER NOT NULL,
  reporters   INTEGER NOT NULL DEFAULT 0 CHECK (reporters >= 0),
  PRIMARY KEY (target_type, target_id)
) WITHOUT ROWID;
INSERT INTO open_report_counts (target_type, target_id, reporters)
  SELECT target_type, target_id, COUNT(*) FROM reports WHERE status = 1
  GROUP BY target_type, target_id;
)sql",
     R"sql(
CREATE TABLE open_report_counts (
  target_type BIGINT NOT NULL,
  target_id   BIGINT NOT NULL,
  reporters   BIGINT NOT NULL DEFAULT 0 CHECK (reporters >= 0),
  PRIMARY KEY (target_type, target_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO open_report_counts (target_type, target_id, reporters)
  SELECT target_type, target_id, COUNT(*) FROM reports WHERE status = 1
  GROUP BY target_type, target_id
)sql"},
};

}  // namespace

std::span<const db::Migration> ModerationMigrations() {
  return kMigrations;
}

}  // namespace reel::moderation
