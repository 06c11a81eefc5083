#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kit/db/mysql_connection.hpp"

namespace reel::db {

/// A bounded pool of connections to one server, and what the driver knows of its state.
/// Connections are made on demand up to pool_size; a caller waits up to pool_wait for a
/// free one. A connection that saw a connection-level error is closed, never reused, and
/// the idle ones go with it (after a restart they are all dead).
class MysqlServerPool {
 public:
  explicit MysqlServerPool(MysqlServerSpec spec) : spec_(std::move(spec)) {}

  /// A borrowed connection, handed back when the lease goes.
  class Lease {
   public:
    Lease(MysqlServerPool* pool, std::unique_ptr<MysqlConnection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Return(std::move(conn_));
    }
    MysqlConnection& operator*() const { return *conn_; }
    MysqlConnection* operator->() const { return conn_.get(); }

   private:
    MysqlServerPool* pool_;
    std::unique_ptr<MysqlConnection> conn_;
  };

  /// A free connection, a new one, or one freed within pool_wait. Throws db::Error
  /// kUnavailable when the server cannot be reached (and marks it down) or none is free.
  Lease Acquire();
  /// A connection made outside the pool (probes): marks the server up or down.
  std::unique_ptr<MysqlConnection> Connect();

  const std::string& label() const { return label_; }
  const MysqlServerSpec& spec() const { return spec_; }

  // State, kept by the failures seen and by the background checks.
  bool up() const { return up_.load(); }
  bool behind() const { return behind_.load(); }
  bool serving() const { return up() && !behind(); }
  void MarkDown(const std::string& why);
  void MarkUp();
  void SetBehind(bool behind) { behind_.store(behind); }
  /// When the health check last found it holding the primary's commits (replicas; the
  /// health check's thread only).
  std::chrono::steady_clock::time_point caught_up_at = std::chrono::steady_clock::now();
  std::string Describe() const;

 private:
  void Return(std::unique_ptr<MysqlConnection> conn);

  MysqlServerSpec spec_;
  std::string label_ = spec_.Label();
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<MysqlConnection>> idle_;
  int total_ = 0;  // idle + leased + being made
  std::atomic<bool> up_{true};
  std::atomic<bool> behind_{false};
  mutable std::mutex error_mutex_;
  std::string last_error_;
};

}  // namespace reel::db
