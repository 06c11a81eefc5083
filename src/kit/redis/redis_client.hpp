#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kit/redis/redis_error.hpp"
#include "kit/redis/redis_options.hpp"
#include "kit/redis/redis_reply.hpp"

namespace reel::redis {

class RedisConnection;

/// Commands to one Redis server over a bounded pool of connections (hiredis, blocking).
///
/// Connections are made on demand, at most options.pool_size; a call waits up to
/// options.pool_wait for a free one. A connection that failed is dropped, and one the server
/// closed while it sat idle (a restart) is noticed before reuse, so after the server comes
/// back the next call simply connects again: no restart of the client, no failed call.
///
/// Errors are thrown as RedisError (a StatusError): kUnavailable ("REDIS_UNAVAILABLE",
/// within connect_timeout + command_timeout when the server is down or hung; callers fall
/// back to what they did without Redis) or kReply for an error reply (a bug).
///
/// Thread-safe.
class RedisClient {
 public:
  /// Connects nothing yet: a server that is down does not stop a process from starting.
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Runs one command, each argument sent as bytes (binary safe):
  /// Command({"SET", key, value}). Returns the reply; throws RedisError.
  RedisReply Command(std::initializer_list<std::string_view> args);
  RedisReply Command(std::span<const std::string_view> args);
  RedisReply Command(const std::vector<std::string>& args);

  /// Runs a Lua script by its SHA1 (EVALSHA), loading it (SCRIPT LOAD) on its first call
  /// and again whenever the server no longer has it (NOSCRIPT: a restart, SCRIPT FLUSH), so
  /// only the first call sends the text. Returns the script's reply; throws RedisError.
  RedisReply EvalScript(std::string_view script, const std::vector<std::string>& keys,
                        const std::vector<std::string>& args);

  /// PUBLISH: the number of subscribers it reached. Throws RedisError.
  std::int64_t Publish(std::string_view channel, std::string_view message);

  const RedisOptions& options() const { return options_; }
  /// Connections open now, idle or in use (tests, metrics).
  int open_connections() const;

 private:
  std::unique_ptr<RedisConnection> Acquire();
  void Release(std::unique_ptr<RedisConnection> conn);
  /// One command on a pooled connection; an error reply is returned, not thrown.
  RedisReply RunOnPool(std::span<const std::string_view> args);
  std::string LoadScript(std::string_view script);

  const RedisOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  int open_ = 0;  // idle + in use + being made

  std::mutex scripts_mutex_;
  std::map<std::string, std::string, std::less<>> script_shas_;  // script text -> SHA1
};

}  // namespace reel::redis
