#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/db/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace prometheus {
class Histogram;
}

namespace reel::db {

/// An SQLite failure, classified into db::Error's kinds by its extended result code.
class SqliteError : public Error {
 public:
  SqliteError(int extended_code, const std::string& what);
  int extended_code() const { return code(); }
};

/// One SQLite connection with a cache of prepared statements. Used by one thread at a
/// time (the SqliteDb hands it out).
class SqliteConnection final : public Connection {
 public:
  /// `metrics`, when given, times its statements (it must outlive the connection).
  SqliteConnection(const std::string& path, std::chrono::milliseconds busy_timeout, bool read_only,
                   DbMetrics* metrics = nullptr);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Engine engine() const override { return Engine::kSqlite; }
  Statement Prepare(std::string_view sql) override;
  /// Also takes BEGIN/COMMIT/SAVEPOINT: SqliteDb runs its transactions through it.
  void Exec(std::string_view sql) override;
  std::int64_t LastInsertId() const override;
  std::int64_t Changes() const override;

 private:
  class CachedStatement;
  prometheus::Histogram* LatencyOf(std::string_view sql);
  // Hashes std::string and std::string_view alike, so Prepare can look up without a copy.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  sqlite3* db_ = nullptr;
  DbMetrics* metrics_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, SqlHash, std::equal_to<>>
      cache_;
};

struct SqliteOptions {
  std::string path;
  std::chrono::milliseconds busy_timeout{5000};
  int read_connections = 4;
  std::string synchronous = "normal";  // normal (durable across process crashes) or full
};

/// An SQLite database in WAL mode shared by the server's threads: one writer connection
/// behind a mutex (SQLite admits one writer at a time anyway, and queuing here is cheaper
/// than busy-waiting) and a pool of reader connections that run in parallel with it.
///
/// Group commit: writes that arrive while another is committing wait, and the next of them
/// to run commits them all in one transaction, each inside its own savepoint. Each is
/// isolated and undone alone, and none returns before the commit that holds it; under load
/// one commit (and its WAL append and locking) serves many writes.
class SqliteDb final : public Database {
 public:
  /// Opens (creating if needed) the database. Throws SqliteError when it cannot.
  explicit SqliteDb(SqliteOptions options);
  ~SqliteDb() override;

  const std::string& path() const { return options_.path; }

  Engine engine() const override { return Engine::kSqlite; }
  std::string Describe() const override { return options_.path; }
  DatabaseHealth Health() const override { return {true, true, "ok"}; }
  std::uint64_t commits() const override;
  /// Writes waiting for a group to take them (for tests).
  std::size_t queued_writes() const;

 protected:
  void RunRead(ConnectionFn<void> work) override;
  void RunWrite(ConnectionFn<bool> work) override;

 private:
  /// A write waiting for its group's commit. `work` returns whether to keep its changes.
  struct PendingWrite {
    const ConnectionFn<bool>* work;
    std::exception_ptr error;  // what `work` threw, or why its group failed to commit
    bool done = false;
  };
  /// Runs `group` in one transaction, a savepoint each (writer thread only).
  void CommitGroup(const std::vector<PendingWrite*>& group);

  SqliteOptions options_;
  mutable std::mutex write_mutex_;  // guards queued_, committing_, commits_, PendingWrites
  std::condition_variable write_done_;
  std::vector<PendingWrite*> queued_;
  bool committing_ = false;
  std::uint64_t commits_ = 0;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> free_readers_;
};

}  // namespace reel::db
