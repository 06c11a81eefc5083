#include "kit/db/mysql_pool.hpp"

#include "kit/db/db_metrics.hpp"

namespace reel::db {

MysqlServerPool::Lease MysqlServerPool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + spec_.options->pool_wait;
  std::unique_lock lock(mutex_);
  bool waited = false;
  while (true) {
    if (!idle_.empty()) {
      std::unique_ptr<MysqlConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (spec_.metrics) spec_.metrics->in_use().Increment();
      return Lease(this, std::move(conn));
    }
    if (total_ < spec_.options->pool_size) {
      ++total_;
      lock.unlock();
      try {
        Lease lease(this, Connect());
        if (spec_.metrics) spec_.metrics->in_use().Increment();
        return lease;
      } catch (...) {
        lock.lock();
        --total_;
        freed_.notify_one();
        throw;
      }
    }
    if (!waited && spec_.metrics) spec_.metrics->waits().Increment();
    waited = true;
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        total_ >= spec_.options->pool_size) {
      throw Error(Error::Kind::kUnavailable, 0,
                  "no database connection free within " +
                      std::to_string(spec_.options->pool_wait.count()) + " ms (" + label_ + ")");
    }
  }
}

std::unique_ptr<MysqlConnection> MysqlServerPool::Connect() {
  try {
    auto conn = std::make_unique<MysqlConnection>(spec_);
    MarkUp();
    return conn;
  } catch (const Error& e) {
    if (e.IsUnavailable()) MarkDown(e.what());
    throw;
  }
}

void MysqlServerPool::Return(std::unique_ptr<MysqlConnection> conn) {
  if (spec_.metrics) spec_.metrics->in_use().Decrement();
  std::vector<std::unique_ptr<MysqlConnection>> closing;
  {
    std::lock_guard lock(mutex_);
    if (conn->broken()) {
      closing.push_back(std::move(conn));
      for (auto& idle : idle_) closing.push_back(std::move(idle));
      idle_.clear();
      total_ -= static_cast<int>(closing.size());
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  freed_.notify_all();
  // `closing` closes its connections here, outside the lock.
}

void MysqlServerPool::MarkDown(const std::string& why) {
  {
    std::lock_guard lock(error_mutex_);
    last_error_ = why;
  }
  up_.store(false);
}

void MysqlServerPool::MarkUp() {
  up_.store(true);
}

std::string MysqlServerPool::Describe() const {
  if (!up()) {
    std::lock_guard lock(error_mutex_);
    return label_ + " down (" + last_error_ + ")";
  }
  return label_ + (behind() ? " behind" : " up");
}

}  // namespace reel::db
