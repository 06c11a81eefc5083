#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kit/db/database.hpp"
#include "kit/db/mysql_db.hpp"

struct st_mysql;

namespace reel::db {

/// The kind db::Error gives a MySQL error number (a server ER_* or client CR_* code).
Error::Kind MysqlErrorKind(unsigned code);
/// Errors after which the connection is no longer usable (lost, killed, server gone).
bool IsConnectionLost(unsigned code);

/// How to reach one server, and how the driver names it in messages ("primary
/// 127.0.0.1:3306").
struct MysqlServerSpec {
  MysqlEndpoint endpoint;
  std::string role;      // "primary" or "replica"
  std::string database;  // empty: none selected
  const MysqlOptions* options;
  /// Times the connections' statements when given; outlives them.
  DbMetrics* metrics = nullptr;
  std::string Label() const { return role + " " + endpoint.ToString(); }
};

/// One MariaDB connection with its cache of server-side prepared statements, used by one
/// thread at a time (its pool hands it out). Never reconnects by itself: a silent reconnect
/// would lose the open transaction and the prepared statements, so a lost connection is
/// marked `broken()` and its pool drops it.
class MysqlConnection final : public Connection {
 public:
  /// Connects and sets up the session (sql_mode, READ COMMITTED, utf8mb4). Throws db::Error
  /// kUnavailable when the server cannot be reached.
  explicit MysqlConnection(const MysqlServerSpec& spec);
  ~MysqlConnection() override;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  Engine engine() const override { return Engine::kMysql; }
  /// Prepares ToMysql(sql) (rewritten once per SQL text, then cached with the statement).
  Statement Prepare(std::string_view sql) override;
  /// Runs each statement of `sql` in turn (split on `;`), rewritten by ToMysql.
  void Exec(std::string_view sql) override;
  std::int64_t LastInsertId() const override { return last_insert_id_; }
  std::int64_t Changes() const override { return changes_; }

  /// Runs the driver's own SQL as it is (START TRANSACTION, COMMIT, SET ...); several
  /// statements separated by `;` run in one round trip. Never for text from outside.
  void Query(std::string_view sql);
  /// The first column of the first row of `sql` (empty when NULL or no row).
  std::string QueryValue(std::string_view sql);
  /// The server's id for this session (for KILL CONNECTION in tests).
  std::uint64_t thread_id() const;
  /// A connection-level error was seen: the pool must not reuse it.
  bool broken() const { return broken_; }
  const std::string& label() const { return label_; }

  /// Throws the db::Error for the last error (`what` says what was being done).
  [[noreturn]] void Fail(unsigned code, const std::string& error, std::string_view what);
  void RecordChanges(std::int64_t changes, std::int64_t insert_id) {
    changes_ = changes;
    last_insert_id_ = insert_id;
  }

 private:
  class CachedStatement;
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  [[noreturn]] void FailLast(std::string_view what);

  st_mysql* mysql_ = nullptr;
  std::string label_;
  DbMetrics* metrics_ = nullptr;
  bool broken_ = false;
  std::int64_t changes_ = 0;
  std::int64_t last_insert_id_ = 0;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, SqlHash, std::equal_to<>>
      cache_;
};

}  // namespace reel::db
