#include "kit/db/mysql_router.hpp"

#include <algorithm>
#include <optional>

#include "kit/db/db_metrics.hpp"
#include "kit/log/log.hpp"

namespace reel::db {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void RollbackQuietly(MysqlConnection& conn) {
  if (conn.broken()) return;  // the server rolls back a lost session's transaction itself
  try {
    conn.Query("ROLLBACK");
  } catch (const Error&) {  // a connection that cannot roll back is marked broken
  }
}

// A GTID list as the server prints it ("0-1-42,1-2-7"): safe to put in a literal.
bool IsGtidList(std::string_view text) {
  return text.find_first_not_of("0123456789-,") == std::string_view::npos;
}

bool IsRetriedLock(int code) {
  return code == 1213 /* ER_LOCK_DEADLOCK */ || code == 1205 /* ER_LOCK_WAIT_TIMEOUT */;
}

}  // namespace

bool IsValidMysqlDatabaseName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

MysqlDb::MysqlDb(MysqlOptions options)
    : options_(std::move(options)), random_(std::random_device{}()) {
  metrics_ = std::make_shared<DbMetrics>(options_.database);
  primary_ = std::make_unique<MysqlServerPool>(
      MysqlServerSpec{options_.primary, "primary", options_.database, &options_, metrics_.get()});
  for (const MysqlEndpoint& replica : options_.replicas) {
    replicas_.push_back(std::make_unique<MysqlServerPool>(
        MysqlServerSpec{replica, "replica", options_.database, &options_, metrics_.get()}));
  }
  // A replica serves reads only once a check has seen it caught up with the primary.
  for (auto& replica : replicas_) replica->SetBehind(true);
  CheckServers();
  background_ = std::thread([this] { BackgroundLoop(); });
}

MysqlDb::~MysqlDb() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  background_.join();
}

std::string MysqlDb::Describe() const {
  return "mysql://" + options_.primary.ToString() + "/" + options_.database;
}

DatabaseHealth MysqlDb::Health() const {
  DatabaseHealth health;
  health.writable = primary_->up();
  health.readable = health.writable;
  bool all_well = health.writable;
  std::string detail = primary_->Describe();
  for (const auto& replica : replicas_) {
    all_well = all_well && replica->serving();
    health.readable = health.readable || replica->serving();
    detail += "; " + replica->Describe();
  }
  health.detail = all_well ? "ok" : detail;
  return health;
}

MysqlServerPool& MysqlDb::PickReader() {
  const std::size_t n = replicas_.size();
  const std::uint64_t start = next_replica_.fetch_add(1);
  for (std::size_t k = 0; k < n; ++k) {
    MysqlServerPool& replica = *replicas_[(start + k) % n];
    if (replica.serving()) return replica;
  }
  return *primary_;
}

std::pair<MysqlServerPool*, MysqlServerPool::Lease> MysqlDb::AnyAnsweringReplica(
    const Error& primary_error) {
  const std::size_t n = replicas_.size();
  const std::uint64_t start = next_replica_.fetch_add(1);
  for (std::size_t k = 0; k < n; ++k) {
    MysqlServerPool& replica = *replicas_[(start + k) % n];
    try {
      return {&replica, replica.Acquire()};
    } catch (const Error& e) {
      if (!e.IsUnavailable()) throw;
    }
  }
  throw primary_error;
}

void MysqlDb::RunRead(ConnectionFn<void> work) {
  // A read that meets a lost connection runs once more on a fresh one (another server's
  // when the first was a replica: it stops serving reads until a probe re-admits it).
  // With the primary unreachable nothing new can be written, so a replica that answers
  // serves what it has even before a check has seen it caught up (a replica restarted just
  // before the primary went): possibly a little behind, rather than a 503.
  for (int attempt = 0;; ++attempt) {
    MysqlServerPool* server = &PickReader();
    std::optional<MysqlServerPool::Lease> lease;
    try {
      lease.emplace(server->Acquire());
    } catch (const Error& e) {
      if (!e.IsUnavailable()) throw;
      if (server != primary_.get()) {
        server = primary_.get();
        try {
          lease.emplace(server->Acquire());
        } catch (const Error& primary_error) {
          if (!primary_error.IsUnavailable()) throw;
          auto [replica, replica_lease] = AnyAnsweringReplica(primary_error);
          server = replica;
          lease.emplace(std::move(replica_lease));
        }
      } else {
        auto [replica, replica_lease] = AnyAnsweringReplica(e);
        server = replica;
        lease.emplace(std::move(replica_lease));
      }
    }
    try {
      work(**lease);
      return;
    } catch (const Error& e) {
      if (!(*lease)->broken() || attempt > 0) throw;
      if (server != primary_.get()) server->MarkDown(e.what());
      log::Warn("database read retried after a lost connection", {{"error", e.what()}});
    }
  }
}

void MysqlDb::RunWrite(ConnectionFn<bool> work) {
  int lock_retries = 0;
  int lost_retries = 0;
  std::string gtid;
  while (true) {
    const Outcome outcome = TryWrite(work, lock_retries < 3, lost_retries < 1, gtid);
    if (outcome == Outcome::kRetryLock) {
      ++lock_retries;
    } else if (outcome == Outcome::kRetryLost) {
      ++lost_retries;
    } else {
      if (outcome == Outcome::kCommitted) WaitReplicas(gtid);
      return;
    }
  }
}

MysqlDb::Outcome MysqlDb::TryWrite(ConnectionFn<bool>& work, bool retry_lock, bool retry_lost,
                                   std::string& gtid) {
  std::uint64_t mark = 0;
  {
    std::lock_guard lock(random_mutex_);
    // 63 bits: bound as a signed BIGINT into the unsigned column.
    mark = random_() >> 1;
  }
  bool committing = false;
  std::optional<MysqlServerPool::Lease> lease(primary_->Acquire());
  MysqlConnection& conn = **lease;
  try {
    if (options_.commit_marks) {
      // The mark rides with START TRANSACTION in one round trip (numbers of our own, no
      // text), and commits or vanishes with the write's own rows.
      conn.Query("START TRANSACTION; INSERT INTO reel_commit_marks (id, at_ms) VALUES (" +
                 std::to_string(mark) + ", " + std::to_string(NowMs()) + ")");
    } else {
      conn.Query("START TRANSACTION");
    }
    if (!work(conn)) {
      RollbackQuietly(conn);
      return Outcome::kRolledBack;
    }
    if (conn.broken()) {
      throw Error(
          Error::Kind::kUnavailable, 2013,
          "database " + conn.label() + " unreachable: the connection was lost in the write");
    }
    committing = true;
    conn.Query("COMMIT");
    committing = false;
    ++commits_;
    try {
      gtid = replicas_.empty() ? std::string() : conn.QueryValue("SELECT @@last_gtid");
    } catch (const Error&) {
      gtid.clear();  // committed; WaitReplicas falls back to the primary's position
    }
    return Outcome::kCommitted;
  } catch (const Error& e) {
    RollbackQuietly(conn);
    if (!conn.broken()) {
      if (IsRetriedLock(e.code()) && retry_lock) return Outcome::kRetryLock;
      throw;
    }
    lease.reset();  // closed before anything else borrows from the pool
    if (committing) {
      // COMMIT was sent and no answer came: the mark says whether it was applied.
      if (!options_.commit_marks) {
        throw Error(Error::Kind::kUnavailable, e.code(),
                    std::string(e.what()) + " (during COMMIT: the write's outcome is unknown)");
      }
      if (MarkCommitted(mark)) {
        ++commits_;
        gtid.clear();
        return Outcome::kCommitted;
      }
    }
    // Not committed: the server rolled the transaction back with the session.
    if (retry_lost) {
      log::Warn("database write retried after a lost connection", {{"error", e.what()}});
      return Outcome::kRetryLost;
    }
    if (e.IsUnavailable()) throw;
    throw Error(Error::Kind::kUnavailable, e.code(), e.what());
  } catch (...) {
    RollbackQuietly(conn);
    throw;
  }
}

bool MysqlDb::MarkCommitted(std::uint64_t mark) {
  try {
    MysqlServerPool::Lease lease = primary_->Acquire();
    auto stmt = lease->Prepare("SELECT 1 FROM reel_commit_marks WHERE id = ?");
    stmt.BindAll(static_cast<std::int64_t>(mark));
    return stmt.Step();
  } catch (const Error& e) {
    throw Error(Error::Kind::kUnavailable, e.code(),
                std::string(e.what()) +
                    " (after a connection lost during COMMIT: the write's "
                    "outcome is unknown)");
  }
}

void MysqlDb::WaitReplicas(const std::string& committed_gtid) {
  if (replicas_.empty()) return;
  std::string gtid = committed_gtid;
  if (gtid.empty()) {
    try {
      gtid = primary_->Acquire()->QueryValue("SELECT @@gtid_binlog_pos");
    } catch (const Error&) {
      // The primary is gone after committing: the replicas catch up from the binlog they
      // have; the background check keeps the behind ones out.
    }
  }
  for (auto& replica : replicas_) {
    if (!replica->serving()) continue;
    if (gtid.empty() || !ReplicaReached(*replica, gtid)) {
      replica->SetBehind(true);
      log::Warn("database replica is behind: it stops serving reads until it catches up",
                {{"replica", replica->label()}, {"gtid", gtid}});
    }
  }
}

bool MysqlDb::ReplicaReached(MysqlServerPool& replica, const std::string& gtid) {
  if (!IsGtidList(gtid)) return false;
  try {
    MysqlServerPool::Lease lease = replica.Acquire();
    const std::string wait = std::to_string(options_.replica_wait.count() / 1000.0);
    return lease->QueryValue("SELECT MASTER_GTID_WAIT('" + gtid + "', " + wait + ")") == "0";
  } catch (const Error& e) {
    if (e.IsUnavailable()) replica.MarkDown(e.what());
    return false;
  }
}

void MysqlDb::BackgroundLoop() {
  auto last_cleanup = std::chrono::steady_clock::now();
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, options_.health_interval, [this] { return stopping_; })) {
    lock.unlock();
    try {
      CheckServers();
      if (std::chrono::steady_clock::now() - last_cleanup > std::chrono::minutes(1)) {
        last_cleanup = std::chrono::steady_clock::now();
        DeleteOldMarks();
      }
    } catch (const std::exception& e) {
      log::Warn("database health check failed", {{"error", e.what()}});
    }
    lock.lock();
  }
}

void MysqlDb::CheckServers() {
  std::string position;
  try {
    MysqlServerPool::Lease lease = primary_->Acquire();
    position = lease->QueryValue("SELECT @@gtid_binlog_pos");
  } catch (const Error& e) {
    if (e.IsUnavailable()) primary_->MarkDown(e.what());
  }
  for (auto& replica : replicas_) {
    if (!replica->up()) {
      replica->SetBehind(true);
      try {
        replica->Connect()->Query("SELECT 1");
      } catch (const Error&) {
        continue;
      }
    }
    // With the primary unreachable nothing new can be written: the replicas serve what
    // they have.
    replica->SetBehind(!position.empty() && !ReplicaReached(*replica, position));
  }
  // Lag as the router sees it: how long since the most behind replica last held every
  // commit the primary had when it was checked (0 when all do).
  const auto now = std::chrono::steady_clock::now();
  double lag = 0;
  for (auto& replica : replicas_) {
    if (!replica->behind()) {
      replica->caught_up_at = now;
    } else {
      lag = std::max(lag, std::chrono::duration<double>(now - replica->caught_up_at).count());
    }
  }
  if (!replicas_.empty()) metrics_->replica_lag().Set(lag);
}

void MysqlDb::DeleteOldMarks() {
  constexpr int kBatch = 500;
  const std::int64_t before = NowMs() - 3600 * 1000;
  MysqlServerPool::Lease lease = primary_->Acquire();
  // Small batches, each its own autocommit transaction, so no lock is held for long.
  for (int i = 0; i < 100; ++i) {
    lease->Prepare("DELETE FROM reel_commit_marks WHERE at_ms < ? LIMIT 500").BindAll(before).Run();
    if (lease->Changes() < kBatch) break;
  }
}

}  // namespace reel::db
