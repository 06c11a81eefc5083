#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "kit/status/status.hpp"

// The engine-neutral database interface every repository is written against. Two drivers
// implement it: SQLite (kit/db/sqlite.*, the embedded default) and MariaDB/MySQL
// (kit/db/mysql_*.*, the production engine). Repositories write their SQL once, in the
// common subset: `?` placeholders (never `?1`), `INSERT OR IGNORE`, `ON CONFLICT (...) DO
// UPDATE SET ... excluded.col` and `DO NOTHING`, `INSERT/DELETE ... RETURNING`; the MySQL
// driver rewrites those spellings to its own (docs/architecture.md, "Databases").
namespace reel::db {

class DbMetrics;  // kit/db/db_metrics.hpp

enum class Engine { kSqlite, kMysql };

/// A database failure. Stores catch the kinds that are expected outcomes (a unique violation
/// becomes ALREADY_EXISTS); the HTTP and gRPC layers turn kUnavailable into 503/UNAVAILABLE
/// with a clear message and everything else into a 500.
class Error : public StatusError {
 public:
  enum class Kind {
    kOther,
    kUniqueViolation,  // a UNIQUE or PRIMARY KEY constraint refused the row
    kConstraint,       // another constraint (CHECK, NOT NULL, foreign key)
    kUnavailable,      // the engine cannot be reached or refuses writes (read-only, down);
                       // nothing was committed
  };
  Error(Kind kind, int code, const std::string& what)
      : StatusError(
            kind == Kind::kUnavailable
                ? Unavailable("STORE_UNAVAILABLE", "the database is unavailable; try again shortly")
                : Internal("internal error"),
            what),
        kind_(kind),
        code_(code) {}

  Kind kind() const { return kind_; }
  /// The engine's own code (SQLite extended result code, MySQL error number).
  int code() const { return code_; }
  bool IsUniqueViolation() const { return kind_ == Kind::kUniqueViolation; }
  bool IsUnavailable() const { return kind_ == Kind::kUnavailable; }

 private:
  Kind kind_;
  int code_;
};

/// One driver's prepared statement, borrowed by a Statement handle.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void Bind(int index, std::int64_t value) = 0;
  virtual void Bind(int index, double value) = 0;
  virtual void Bind(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  virtual bool Step() = 0;
  virtual std::int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string_view TextView(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  /// The handle is done with it: reset it for the connection's next borrower, or delete it
  /// (one prepared for a nested use). Never throws.
  virtual void Release() noexcept = 0;
};

/// A prepared statement from Connection::Prepare. Binding indexes start at 1, column
/// indexes at 0. Destruction hands the statement back to its connection.
class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  ~Statement() {
    if (impl_) impl_->Release();
  }
  Statement(Statement&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& Bind(int index, std::int64_t value) {
    impl_->Bind(index, value);
    return *this;
  }
  Statement& Bind(int index, int value) { return Bind(index, std::int64_t{value}); }
  Statement& Bind(int index, double value) {
    impl_->Bind(index, value);
    return *this;
  }
  Statement& Bind(int index, std::string_view value) {
    impl_->Bind(index, value);
    return *this;
  }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index) {
    impl_->BindNull(index);
    return *this;
  }

  /// Binds every argument in order, starting at index 1.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 1;
    (Bind(index++, args), ...);
    return *this;
  }

  /// Advances to the next row; false when done. Throws db::Error on failure.
  bool Step() { return impl_->Step(); }
  /// Runs a statement that returns no rows (or drains the rows it returns).
  void Run() {
    while (Step()) {
    }
  }

  std::int64_t Int(int column) const { return impl_->Int(column); }
  double Double(int column) const { return impl_->Double(column); }
  std::string Text(int column) const { return std::string(TextView(column)); }
  /// Valid until the next Step.
  std::string_view TextView(int column) const { return impl_->TextView(column); }
  bool IsNull(int column) const { return impl_->IsNull(column); }

 private:
  StatementImpl* impl_;
};

/// One connection with a cache of prepared statements, used by one thread at a time (its
/// Database hands it out for the length of one Read or Write).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  /// A prepared statement for `sql`, freshly reset with nothing bound: the cached one when
  /// it is free; while an earlier Statement for the same SQL is still alive (a loop over
  /// rows that runs the query again inside), a new one of its own, so neither disturbs the
  /// other. Throws db::Error on bad SQL.
  virtual Statement Prepare(std::string_view sql) = 0;
  /// Runs one or more statements without results (DDL). Not for BEGIN/COMMIT: the
  /// Database owns transactions.
  virtual void Exec(std::string_view sql) = 0;
  /// The id AUTOINCREMENT / AUTO_INCREMENT gave the last inserted row.
  virtual std::int64_t LastInsertId() const = 0;
  /// Rows the last statement inserted, deleted or matched (MySQL: found rows, not only the
  /// rows whose values changed, so both engines count alike).
  virtual std::int64_t Changes() const = 0;
};

/// A non-owning reference to a callable `R(Connection&)`, so Read and Write take any lambda
/// without std::function's allocation.
template <typename R>
class ConnectionFn {
 public:
  template <typename Fn>
  ConnectionFn(Fn& fn)  // NOLINT(google-explicit-constructor): a view of `fn`
      : object_(static_cast<void*>(&fn)), call_([](void* object, Connection& conn) -> R {
          return (*static_cast<Fn*>(object))(conn);
        }) {}
  R operator()(Connection& conn) const { return call_(object_, conn); }

 private:
  void* object_;
  R (*call_)(void*, Connection&);
};

/// How a database reports itself in /readyz.
struct DatabaseHealth {
  bool writable = true;  // the primary answered last time
  bool readable = true;  // some server (a replica or the primary) answered last time
  std::string detail;    // "ok", or what is wrong ("primary 127.0.0.1:3306 unreachable: ...")
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

/// A database shared by a process's threads. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  /// For messages and logs: the SQLite file, or "mysql://host:port/database".
  virtual std::string Describe() const = 0;
  virtual DatabaseHealth Health() const = 0;

  /// Runs `fn(Connection&)` on a reader connection and returns what it returns. On MySQL a
  /// replica's when one is healthy (an acknowledged write is already there: see Write),
  /// else the primary's. `fn` may run more than once (after a lost connection), so it must
  /// have no effects outside the connection.
  template <typename Fn>
  auto Read(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
    using R = std::invoke_result_t<Fn, Connection&>;
    if constexpr (std::is_void_v<R>) {
      auto work = [&](Connection& conn) { fn(conn); };
      Counted([&] { RunRead(ConnectionFn<void>(work)); });
    } else {
      std::optional<R> result;
      auto work = [&](Connection& conn) { result.emplace(fn(conn)); };
      Counted([&] { RunRead(ConnectionFn<void>(work)); });
      return std::move(*result);
    }
  }

  /// Runs `fn(Connection&)` as one atomic write on the primary and returns what it returns,
  /// once the write is committed (and, on MySQL, applied by every replica that serves
  /// reads). The write is undone when `fn` throws (the exception reaches the caller) or
  /// returns a failed Status/Result, so a refused action changes nothing. `fn` may run
  /// more than once (a deadlock or a connection lost before COMMIT is retried), so it must
  /// have no effects outside the connection. Throws db::Error kUnavailable when the write
  /// did not commit because the engine is unreachable.
  template <typename Fn>
  auto Write(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
    using R = std::invoke_result_t<Fn, Connection&>;
    if constexpr (std::is_void_v<R>) {
      auto work = [&](Connection& conn) {
        fn(conn);
        return true;
      };
      Counted([&] { RunWrite(ConnectionFn<bool>(work)); });
    } else {
      std::optional<R> result;
      auto work = [&](Connection& conn) {
        result.reset();
        result.emplace(fn(conn));
        return !detail::IsFailure(*result);
      };
      Counted([&] { RunWrite(ConnectionFn<bool>(work)); });
      return std::move(*result);
    }
  }

  /// The `database` label of its metrics: the SQLite file's stem, the MariaDB schema.
  std::string MetricsName() const;  // db_metrics.cpp

  /// Transactions committed since opening (SQLite: a group of writes counts once).
  virtual std::uint64_t commits() const = 0;

 protected:
  /// The database's metrics (statement latency, pool, errors); set by the driver.
  std::shared_ptr<DbMetrics> metrics_;

  virtual void RunRead(ConnectionFn<void> work) = 0;
  /// Runs `work` in a transaction; keeps its changes when it returns true.
  virtual void RunWrite(ConnectionFn<bool> work) = 0;

 private:
  // Runs `run`, counting a db::Error it throws in reel_db_errors_total.
  template <typename Run>
  void Counted(Run&& run) {
    try {
      run();
    } catch (const Error& e) {
      CountFailure(e);
      throw;
    }
  }
  void CountFailure(const Error& error) const;  // db_metrics.cpp
};

}  // namespace reel::db
