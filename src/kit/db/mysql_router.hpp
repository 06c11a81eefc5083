#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kit/db/mysql_db.hpp"
#include "kit/db/mysql_pool.hpp"

namespace reel::db {

/// One service's database on a MariaDB primary and its replicas (see mysql_db.hpp).
/// Writes: START TRANSACTION, fn, a commit mark, COMMIT on the primary, then a wait until
/// every replica serving reads has applied the write's GTID. Reads: round robin over the
/// replicas serving reads, else the primary. A background thread probes servers that are
/// down, re-admits replicas that caught up, and deletes old commit marks.
class MysqlDb final : public Database {
 public:
  /// `options.database` must exist on the primary (OpenMysql creates it).
  explicit MysqlDb(MysqlOptions options);
  ~MysqlDb() override;

  Engine engine() const override { return Engine::kMysql; }
  std::string Describe() const override;
  DatabaseHealth Health() const override;
  std::uint64_t commits() const override { return commits_.load(); }

 protected:
  void RunRead(ConnectionFn<void> work) override;
  void RunWrite(ConnectionFn<bool> work) override;

 private:
  enum class Outcome { kCommitted, kRolledBack, kRetryLock, kRetryLost };
  /// One attempt at a write; `gtid` gets the committed transaction's GTID. Returns kRetry*
  /// only when that retry is still allowed; otherwise throws.
  Outcome TryWrite(ConnectionFn<bool>& work, bool retry_lock, bool retry_lost, std::string& gtid);
  /// Whether the write holding `mark` committed (after a connection lost during COMMIT).
  bool MarkCommitted(std::uint64_t mark);
  MysqlServerPool& PickReader();
  /// A lease on any replica that answers, serving or not; throws `primary_error` when none
  /// does. For reads while the primary is unreachable.
  std::pair<MysqlServerPool*, MysqlServerPool::Lease> AnyAnsweringReplica(
      const Error& primary_error);
  void WaitReplicas(const std::string& gtid);
  /// Whether `replica` has applied `gtid` within replica_wait.
  bool ReplicaReached(MysqlServerPool& replica, const std::string& gtid);
  void BackgroundLoop();
  void CheckServers();
  void DeleteOldMarks();

  MysqlOptions options_;
  std::unique_ptr<MysqlServerPool> primary_;
  std::vector<std::unique_ptr<MysqlServerPool>> replicas_;
  std::atomic<std::uint64_t> next_replica_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::mutex random_mutex_;
  std::mt19937_64 random_;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread background_;
};

/// The database name is safe to put in SQL: letters, digits, `_`, at most 64 bytes.
bool IsValidMysqlDatabaseName(std::string_view name);

}  // namespace reel::db
