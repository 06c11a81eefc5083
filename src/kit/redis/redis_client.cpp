#include "kit/redis/redis_client.hpp"

#include <cctype>
#include <chrono>
#include <utility>

#include "kit/metrics/metrics.hpp"
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

namespace {

// The command as a metric label: one of those reel sends, else "other" (a bounded set
// whatever a caller passes).
std::string CommandLabel(std::span<const std::string_view> args) {
  static constexpr std::string_view kKnown[] = {
      "EVALSHA", "SCRIPT", "PUBLISH", "GET",   "SET",        "DEL",  "INCR",
      "EXPIRE",  "PING",   "AUTH",    "XADD",  "XREADGROUP", "XACK", "XAUTOCLAIM",
      "XINFO",   "XGROUP", "XRANGE",  "XDEL",  "XTRIM",      "XLEN", "XPENDING",
      "XCLAIM",  "HGET",   "HSET",    "HMGET", "EXISTS",     "SCAN", "INFO"};
  if (args.empty()) return "other";
  std::string name(args[0]);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view known : kKnown) {
    if (name == known) return name;
  }
  return "other";
}

// Times a command and counts its failures (a transport error or an error reply).
class CommandMetrics {
 public:
  explicit CommandMetrics(std::span<const std::string_view> args)
      : command_(CommandLabel(args)), started_(std::chrono::steady_clock::now()) {}
  void Done(bool failed) {
    static auto& latency = metrics::HistogramFamily("reel_redis_command_duration_seconds",
                                                    "Redis command latency by command.");
    static auto& errors = metrics::CounterFamily(
        "reel_redis_errors_total", "Redis commands that failed or answered an error, by command.");
    latency.Add({{"command", command_}}, metrics::LatencyBuckets())
        .Observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    if (failed) errors.Add({{"command", command_}}).Increment();
  }

 private:
  const std::string command_;
  const std::chrono::steady_clock::time_point started_;
};

}  // namespace

RedisReply RedisClient::RunOnPool(std::span<const std::string_view> args) {
  CommandMetrics measured(args);
  std::unique_ptr<RedisConnection> conn;
  try {
    conn = Acquire();
    RedisReply reply = conn->Run(args);
    Release(std::move(conn));
    measured.Done(reply.type() == RedisReply::Type::kError);
    return reply;
  } catch (...) {
    if (conn) Release(std::move(conn));  // broken: dropped
    measured.Done(true);
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
