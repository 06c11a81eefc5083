#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kit/redis/redis_options.hpp"
#include "kit/redis/redis_reply.hpp"

struct redisContext;

namespace reel::redis {

/// One blocking hiredis connection with the options' timeouts, used by one thread at a time
/// (RedisClient's pool, RedisSubscriber's thread). It logs in when made and never
/// reconnects by itself: after an I/O error or a timeout hiredis cannot go on, and a late
/// reply would be read as the next command's, so the connection is marked broken() and its
/// owner drops it.
class RedisConnection {
 public:
  /// Connects (within connect_timeout) and sends AUTH when there is a password. Throws
  /// RedisError kUnavailable when the server cannot be reached or refuses the login.
  explicit RedisConnection(const RedisOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command (arguments as bytes) and reads its reply; an error reply is
  /// returned as a kError reply. Throws RedisError kUnavailable on an I/O error or when no
  /// reply comes within command_timeout.
  RedisReply Run(std::span<const std::string_view> args);

  // Push mode (RedisSubscriber): commands sent without waiting, replies read as they come.
  /// Sends one command without reading its reply. Throws like Run.
  void Send(std::span<const std::string_view> args);
  /// The next reply: one already buffered, else one that arrives within `wait`; nullopt
  /// when none did. Throws RedisError kUnavailable when the connection is lost.
  std::optional<RedisReply> Receive(std::chrono::milliseconds wait);

  /// False when the server closed this idle connection (it restarted, or dropped idle
  /// clients): with no command in flight there is nothing to read, so a readable socket
  /// means the end of the stream. Checked before a pooled connection is reused, so the
  /// first call after a restart does not fail on a connection that died meanwhile.
  bool StillOpen() const;
  bool broken() const { return broken_; }
  const std::string& label() const { return label_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  [[noreturn]] void Fail(std::string_view doing);

  std::string label_;
  std::unique_ptr<redisContext, ContextDeleter> context_;
  bool broken_ = false;
};

}  // namespace reel::redis
