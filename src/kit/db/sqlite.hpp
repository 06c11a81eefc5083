#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "kit/status/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace reel::db {

/// An SQLite failure. Stores catch the ones that are expected outcomes (a unique
/// violation becomes ALREADY_EXISTS); the rest reach the HTTP layer as a 500.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int extended_code, const std::string& what);
  int extended_code() const { return extended_code_; }
  bool IsUniqueViolation() const;

 private:
  int extended_code_;
};

/// A prepared statement from Connection::Prepare. Binding indexes start at 1, column
/// indexes at 0. Destruction resets a cached statement for the next borrower, or finalises
/// one prepared for a nested use.
class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, std::int64_t{value}); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);

  /// Binds every argument in order, starting at index 1.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 1;
    (Bind(index++, args), ...);
    return *this;
  }

  /// Advances to the next row; false when done. Throws SqliteError on failure.
  bool Step();
  /// Runs a statement that returns no rows.
  void Run() {
    while (Step()) {
    }
  }

  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string_view TextView(int column) const;  // valid until the next Step
  bool IsNull(int column) const;

 private:
  friend class Connection;
  /// `in_use`: the cache's flag for a borrowed statement, cleared on destruction; null when
  /// this Statement owns `stmt` alone.
  Statement(sqlite3_stmt* stmt, sqlite3* db, bool* in_use)
      : stmt_(stmt), db_(db), in_use_(in_use) {}

  sqlite3_stmt* stmt_;
  sqlite3* db_;
  bool* in_use_;
};

/// One SQLite connection with a cache of prepared statements. Used by one thread at a
/// time (the SqliteDb hands it out).
class Connection {
 public:
  Connection(const std::string& path, std::chrono::milliseconds busy_timeout, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// A prepared statement for `sql`, freshly reset with nothing bound. The cached one when
  /// it is free; while an earlier Statement for the same SQL is still alive (a loop over
  /// rows that runs the query again inside), a new one of its own, so neither disturbs
  /// the other. Throws SqliteError on bad SQL.
  Statement Prepare(std::string_view sql);
  /// Runs one or more statements without results (DDL, pragmas, BEGIN/COMMIT).
  void Exec(std::string_view sql);
  std::int64_t LastInsertId() const;
  int Changes() const;

 private:
  // Hashes std::string and std::string_view alike, so Prepare can look up without a copy.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;  // a live Statement holds it (nodes are stable: Statement points here)
  };

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
};

struct SqliteOptions {
  std::string path;
  std::chrono::milliseconds busy_timeout{5000};
  int read_connections = 4;
  std::string synchronous = "normal";  // normal (durable across process crashes) or full
};

namespace detail {
inline bool IsFailure(const Status& s) {
  return !s.ok();
}
template <typename T>
bool IsFailure(const Result<T>& r) {
  return !r.ok();
}
template <typename T>
bool IsFailure(const T&) {
  return false;
}
}  // namespace detail

/// An SQLite database in WAL mode shared by the server's threads: one writer connection
/// behind a mutex (SQLite admits one writer at a time anyway, and queuing here is cheaper
/// than busy-waiting) and a pool of reader connections that run in parallel with it.
class SqliteDb {
 public:
  /// Opens (creating if needed) the database. Throws SqliteError when it cannot.
  explicit SqliteDb(SqliteOptions options);
  ~SqliteDb();

  const std::string& path() const { return options_.path; }

  /// Transactions committed by Write since opening (a group of writes counts once).
  std::uint64_t commits() const;
  /// Writes waiting for a group to take them (for tests).
  std::size_t queued_writes() const;

  /// Runs `fn(Connection&)` on a reader connection; returns what it returns.
  template <typename Fn>
  auto Read(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
    ReaderLease lease(*this);
    return fn(*lease.conn);
  }

  /// Runs `fn(Connection&)` as one atomic write and returns what it returns, once the write
  /// is committed. The write is undone when `fn` throws (the exception reaches the caller)
  /// or returns a failed Status/Result, so a refused action changes nothing.
  ///
  /// Group commit: writes that arrive while another is committing wait, and the next of
  /// them to run commits them all in one transaction, each inside its own savepoint. Each
  /// is isolated and undone alone as above, and none returns before the commit that holds
  /// it; under load one commit (and its WAL append and locking) serves many writes.
  template <typename Fn>
  auto Write(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
    using R = std::invoke_result_t<Fn, Connection&>;
    if constexpr (std::is_void_v<R>) {
      RunGrouped([&](Connection& conn) {
        fn(conn);
        return true;
      });
    } else {
      std::optional<R> result;
      RunGrouped([&](Connection& conn) {
        result.emplace(fn(conn));
        return !detail::IsFailure(*result);
      });
      return std::move(*result);
    }
  }

 private:
  struct ReaderLease {
    explicit ReaderLease(SqliteDb& db);
    ~ReaderLease();
    SqliteDb& db;
    Connection* conn;
  };

  /// A write waiting for its group's commit. `work` returns whether to keep its changes.
  struct PendingWrite {
    const std::function<bool(Connection&)>* work;
    std::exception_ptr error;  // what `work` threw, or why its group failed to commit
    bool done = false;
  };
  /// Queues `work`, and commits the queue when no other group is committing; returns when
  /// the group holding `work` has committed. Throws what `work` threw, or the commit error.
  void RunGrouped(const std::function<bool(Connection&)>& work);
  /// Runs `group` in one transaction, a savepoint each (writer thread only).
  void CommitGroup(const std::vector<PendingWrite*>& group);

  SqliteOptions options_;
  mutable std::mutex write_mutex_;  // guards queued_, committing_, commits_, PendingWrites
  std::condition_variable write_done_;
  std::vector<PendingWrite*> queued_;
  bool committing_ = false;
  std::uint64_t commits_ = 0;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> free_readers_;
};

}  // namespace reel::db
