#include "kit/redis/redis_client.hpp"

#include <chrono>
#include <utility>

#include "kit/redis/redis_connection.hpp"

namespace reel::redis {
namespace {

// A top-level error reply is thrown (RedisClient's contract); the rest pass through.
RedisReply Checked(RedisReply reply) {
  if (reply.type() == RedisReply::Type::kError) throw ErrorOfReply(reply.str());
  return reply;
}

}  // namespace

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {}

RedisClient::~RedisClient() = default;

RedisReply RedisClient::Command(std::initializer_list<std::string_view> args) {
  return Command(std::span<const std::string_view>(args.begin(), args.size()));
}

RedisReply RedisClient::Command(std::span<const std::string_view> args) {
  return Checked(RunOnPool(args));
}

RedisReply RedisClient::Command(const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  return Command(std::span<const std::string_view>(views));
}

RedisReply RedisClient::EvalScript(std::string_view script, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  std::string sha;
  {
    std::lock_guard lock(scripts_mutex_);
    if (auto it = script_shas_.find(script); it != script_shas_.end()) sha = it->second;
  }
  const std::string key_count = std::to_string(keys.size());
  RedisReply reply;
  // Twice at most: a NOSCRIPT means the server lost its scripts (restart, SCRIPT FLUSH)
  // since this client loaded it; one fresh load settles that.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (sha.empty()) sha = LoadScript(script);
    std::vector<std::string_view> command = {"EVALSHA", sha, key_count};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    reply = RunOnPool(command);
    if (reply.type() != RedisReply::Type::kError || !reply.str().starts_with("NOSCRIPT")) break;
    sha.clear();
  }
  return Checked(std::move(reply));
}

std::string RedisClient::LoadScript(std::string_view script) {
  const RedisReply reply = Command({"SCRIPT", "LOAD", script});
  std::lock_guard lock(scripts_mutex_);
  script_shas_.insert_or_assign(std::string(script), reply.str());
  return reply.str();
}

std::int64_t RedisClient::Publish(std::string_view channel, std::string_view message) {
  return Command({"PUBLISH", channel, message}).integer();
}

int RedisClient::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

RedisReply RedisClient::RunOnPool(std::span<const std::string_view> args) {
  std::unique_ptr<RedisConnection> conn = Acquire();
  try {
    RedisReply reply = conn->Run(args);
    Release(std::move(conn));
    return reply;
  } catch (...) {
    Release(std::move(conn));  // broken: dropped
    throw;
  }
}

std::unique_ptr<RedisConnection> RedisClient::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.pool_wait;
  // Declared before the lock, so the connections found dead close after it is released.
  std::vector<std::unique_ptr<RedisConnection>> dead;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<RedisConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->StillOpen()) return conn;
      dead.push_back(std::move(conn));
      --open_;
    }
    if (open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        return std::make_unique<RedisConnection>(options_);
      } catch (...) {
        lock.lock();
        --open_;
        released_.notify_one();
        throw;
      }
    }
    if (released_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.pool_size) {
      throw RedisError(RedisError::Kind::kUnavailable,
                       "redis " + options_.endpoint.ToString() + ": no connection free within " +
                           std::to_string(options_.pool_wait.count()) + " ms");
    }
  }
}

void RedisClient::Release(std::unique_ptr<RedisConnection> conn) {
  std::unique_ptr<RedisConnection> closing;  // closed after the lock is released
  {
    std::lock_guard lock(mutex_);
    if (conn->broken()) {
      closing = std::move(conn);
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  released_.notify_one();
}

}  // namespace reel::redis
