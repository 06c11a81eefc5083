#include "kit/db/sqlite.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "kit/db/db_metrics.hpp"
#include "kit/log/log.hpp"

namespace reel::db {
namespace {

[[noreturn]] void Throw(sqlite3* db, int rc, std::string_view what) {
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  throw SqliteError(extended,
                    std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

// SQLite's memory statistics (on by default) take one process-wide mutex around every
// allocation it makes, and Debian's build has no lookaside, so each query allocates many
// times: the reader threads queue on that mutex (futex waits in sqlite3Malloc/sqlite3_free
// in the feed's profile). Nothing here reads the statistics. sqlite3_config only works
// before SQLite initialises, so the first connection does it; if something initialised
// SQLite earlier the call is refused and the default stays, which is still correct.
void TurnOffMemoryStatisticsOnce() {
  static const bool done = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)done;
}

struct FinalizeDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, FinalizeDeleter>;

// SQLite's extended codes, sorted into the kinds callers act on.
Error::Kind KindOf(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error::Kind::kUniqueViolation;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return Error::Kind::kUnavailable;
    default:
      return (extended_code & 0xff) == SQLITE_CONSTRAINT ? Error::Kind::kConstraint
                                                         : Error::Kind::kOther;
  }
}

}  // namespace

SqliteError::SqliteError(int extended_code, const std::string& what)
    : Error(KindOf(extended_code), extended_code, what) {}

/// A prepared statement: the connection's cached one (reset on release) or one of its own
/// for a nested use (deleted on release).
class SqliteConnection::CachedStatement final : public StatementImpl {
 public:
  CachedStatement(sqlite3_stmt* stmt, sqlite3* db, bool cached, prometheus::Histogram* latency)
      : stmt_(stmt), db_(db), cached_(cached), clock_(latency) {}
  ~CachedStatement() override {
    // finalize only repeats the last Step's error, which Step has already thrown.
    sqlite3_finalize(stmt_);
  }

  bool in_use = false;  // a live Statement holds it

  void Bind(int index, std::int64_t value) override {
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) Throw(db_, rc, "bind");
  }
  void Bind(int index, double value) override {
    if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) Throw(db_, rc, "bind");
  }
  void Bind(int index, std::string_view value) override {
    // SQLITE_TRANSIENT: SQLite copies the text, so temporaries are safe to bind.
    int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) Throw(db_, rc, "bind");
  }
  void BindNull(int index) override {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) Throw(db_, rc, "bind");
  }
  bool Step() override {
    clock_.Stepped();
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Throw(db_, rc, "step");
  }
  std::int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string_view TextView(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!text) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  void Release() noexcept override {
    clock_.Released();
    if (!cached_) {
      delete this;
      return;
    }
    // Neither result needs checking: reset repeats the error of the last Step, which Step
    // has already thrown, and clear_bindings cannot fail.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    in_use = false;
  }

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  bool cached_;
  StatementClock clock_;
};

SqliteConnection::SqliteConnection(const std::string& path, std::chrono::milliseconds busy_timeout,
                                   bool read_only, DbMetrics* metrics)
    : metrics_(metrics) {
  TurnOffMemoryStatisticsOnce();
  // NOMUTEX: a connection is used by one thread at a time; the pool guarantees it.
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
    std::string msg = "open " + path;
    sqlite3* db = db_;
    db_ = nullptr;
    try {
      Throw(db, rc, msg);
    } catch (...) {
      sqlite3_close(db);
      throw;
    }
  }
  // Without the busy timeout a reader meeting a checkpoint fails at once with SQLITE_BUSY,
  // and without extended codes a unique violation cannot be told from other constraints:
  // a connection that refuses either is not one to run with.
  int rc = sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
  if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(db_, 1);
  if (rc != SQLITE_OK) {
    const std::string msg = "configure " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, msg);
  }
}

SqliteConnection::~SqliteConnection() {
  cache_.clear();  // finalizes every cached statement before the handle closes
  // Busy means a Statement outlived its connection, a bug: the handle then stays open.
  if (const int rc = sqlite3_close(db_); rc != SQLITE_OK) {
    log::Error("sqlite: a connection did not close", {{"error", sqlite3_errstr(rc)}});
  }
}

prometheus::Histogram* SqliteConnection::LatencyOf(std::string_view sql) {
  return metrics_ ? &metrics_->StatementLatency(sql) : nullptr;
}

Statement SqliteConnection::Prepare(std::string_view sql) {
  // Looked up by the view: a cache hit (nearly every call) allocates nothing.
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(it->second.get());
  }
  // Cached statements live as long as the connection; the one for a nested use does not.
  const bool cache = it == cache_.end();
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) Throw(db_, rc, "prepare");
  if (!cache) {
    // The cached statement is held by a live Statement further up the stack, mid-way
    // through its rows or bindings: sharing it would reset or rebind under that caller.
    return Statement(new CachedStatement(stmt.release(), db_, false, LatencyOf(sql)));
  }
  auto owned = std::make_unique<CachedStatement>(stmt.release(), db_, true, LatencyOf(sql));
  owned->in_use = true;
  it = cache_.emplace(std::string(sql), std::move(owned)).first;
  return Statement(it->second.get());
}

void SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(sqlite3_extended_errcode(db_), "exec: " + msg);
  }
}

std::int64_t SqliteConnection::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}
std::int64_t SqliteConnection::Changes() const {
  return sqlite3_changes(db_);
}

SqliteDb::SqliteDb(SqliteOptions options) : options_(std::move(options)) {
  metrics_ = std::make_shared<DbMetrics>(std::filesystem::path(options_.path).stem().string());
  writer_ = std::make_unique<SqliteConnection>(options_.path, options_.busy_timeout, false,
                                               metrics_.get());
  writer_->Exec("PRAGMA journal_mode=WAL");
  writer_->Exec("PRAGMA synchronous=" +
                std::string(options_.synchronous == "full" ? "FULL" : "NORMAL"));
  writer_->Exec("PRAGMA foreign_keys=ON");
  for (int i = 0; i < options_.read_connections; ++i) {
    readers_.push_back(std::make_unique<SqliteConnection>(options_.path, options_.busy_timeout,
                                                          true, metrics_.get()));
    free_readers_.push_back(readers_.back().get());
  }
}

SqliteDb::~SqliteDb() = default;

std::uint64_t SqliteDb::commits() const {
  std::lock_guard lock(write_mutex_);
  return commits_;
}

std::size_t SqliteDb::queued_writes() const {
  std::lock_guard lock(write_mutex_);
  return queued_.size();
}

void SqliteDb::RunWrite(ConnectionFn<bool> work) {
  PendingWrite mine{&work};
  std::unique_lock lock(write_mutex_);
  queued_.push_back(&mine);
  // Either a committing group finishes this write, or this thread becomes the one that
  // commits the queue (with this write in it).
  write_done_.wait(lock, [&] { return mine.done || !committing_; });
  if (!mine.done) {
    std::vector<PendingWrite*> group;
    group.swap(queued_);
    committing_ = true;
    lock.unlock();
    CommitGroup(group);
    lock.lock();
    committing_ = false;
    ++commits_;
    for (PendingWrite* write : group) write->done = true;
    write_done_.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
}

void SqliteDb::CommitGroup(const std::vector<PendingWrite*>& group) {
  try {
    writer_->Exec("BEGIN IMMEDIATE");
  } catch (...) {
    for (PendingWrite* write : group) write->error = std::current_exception();
    return;
  }
  try {
    for (PendingWrite* write : group) {
      writer_->Exec("SAVEPOINT reel_write");
      bool keep = false;
      try {
        keep = (*write->work)(*writer_);
      } catch (...) {
        write->error = std::current_exception();
      }
      // A statement error leaves the transaction open (SQLite undoes that statement only),
      // so the savepoint can still be rolled back; an error that ended the whole
      // transaction makes this throw, and the group fails below.
      if (!keep) writer_->Exec("ROLLBACK TO reel_write");
      writer_->Exec("RELEASE reel_write");
    }
    writer_->Exec("COMMIT");
  } catch (...) {
    // The group cannot commit: nothing in it happened, whatever each write returned.
    const std::exception_ptr error = std::current_exception();
    try {
      writer_->Exec("ROLLBACK");
    } catch (...) {  // already rolled back by SQLite
    }
    for (PendingWrite* write : group) write->error = error;
  }
}

void SqliteDb::RunRead(ConnectionFn<void> work) {
  SqliteConnection* conn = nullptr;
  {
    std::unique_lock lock(readers_mutex_);
    if (free_readers_.empty()) metrics_->waits().Increment();
    reader_free_.wait(lock, [this] { return !free_readers_.empty(); });
    conn = free_readers_.back();
    free_readers_.pop_back();
  }
  metrics_->in_use().Increment();
  // Returned to the pool however `work` ends.
  struct Return {
    SqliteDb& db;
    SqliteConnection* conn;
    ~Return() {
      db.metrics_->in_use().Decrement();
      {
        std::lock_guard lock(db.readers_mutex_);
        db.free_readers_.push_back(conn);
      }
      db.reader_free_.notify_one();
    }
  } give_back{*this, conn};
  work(*conn);
}

}  // namespace reel::db
