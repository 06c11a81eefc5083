#pragma once
// A database's metrics (issue 21), the same for both drivers: statement latency by a name
// made from the SQL ("select videos"), connections in use, waits for one, and errors by
// kind. Labels: `database` is the SQLite file's stem or the MariaDB schema (configuration,
// a handful per process); `statement` comes from the code's SQL texts (a bounded set).

#include <chrono>
#include <string>
#include <string_view>

#include "kit/db/database.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::db {

/// "select videos", "insert favorites", "update user_stats", "delete outbox"; "other" for
/// what names no table (PRAGMA, DDL, BEGIN).
std::string StatementName(std::string_view sql);

class DbMetrics {
 public:
  explicit DbMetrics(std::string database);

  const std::string& database() const { return database_; }
  /// The latency histogram of `sql`'s statement name.
  prometheus::Histogram& StatementLatency(std::string_view sql);
  prometheus::Gauge& in_use() { return in_use_; }
  prometheus::Counter& waits() { return waits_; }
  /// reel_db_replica_lag_seconds (MariaDB with replicas only: made on first use).
  prometheus::Gauge& replica_lag();
  void Failed(const Error& error);

 private:
  const std::string database_;
  prometheus::Gauge& in_use_;
  prometheus::Counter& waits_;
};

/// Times one use of a prepared statement: from its first step to its release.
class StatementClock {
 public:
  explicit StatementClock(prometheus::Histogram* latency = nullptr) : latency_(latency) {}
  void Stepped() {
    if (latency_ && !running_) {
      running_ = true;
      started_ = std::chrono::steady_clock::now();
    }
  }
  void Released() noexcept {
    if (!running_) return;
    running_ = false;
    latency_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  }

 private:
  prometheus::Histogram* latency_;
  bool running_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace reel::db
