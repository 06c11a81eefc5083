#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kit/redis/redis_options.hpp"

namespace reel::redis {

class RedisConnection;

/// Listens on Redis pub/sub channels on a thread of its own, with a connection of its own
/// (a subscribed connection can do nothing else), and keeps listening across server
/// restarts: when the connection goes it reconnects, waiting options.reconnect_min,
/// doubled after each failed attempt up to options.reconnect_max.
///
/// Messages published while no subscription was active are lost (pub/sub keeps nothing),
/// so on_reconnect is called each time the subscriptions are active again on a new
/// connection, the first one included: a cache that listens for invalidations flushes
/// there, and misses none, since the subscription is already active when it flushes.
///
/// Both callbacks run on the subscriber's thread, one at a time; one that throws is logged
/// and the subscriber goes on. A slow callback delays the messages after it.
class RedisSubscriber {
 public:
  using MessageHandler = std::function<void(std::string_view channel, std::string_view message)>;
  using ReconnectHandler = std::function<void()>;

  /// Starts the thread, which connects and subscribes to `channels` (not empty).
  RedisSubscriber(RedisOptions options, std::vector<std::string> channels,
                  MessageHandler on_message, ReconnectHandler on_reconnect = {});
  /// Stops the thread and closes the connection: within 100 ms while subscribed or waiting
  /// to reconnect, within the connect and command timeouts while connecting.
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  /// True while the subscriptions are active and on_reconnect has returned for them.
  bool subscribed() const;
  /// Waits until the subscriptions are active (start-up, tests); false after `timeout`.
  bool WaitSubscribed(std::chrono::milliseconds timeout) const;
  /// How many times the subscriptions were made: 1 after the first connection, one more
  /// after each reconnection (as many as on_reconnect calls).
  int subscriptions() const;

 private:
  void Run(std::stop_token stop);
  void Subscribe(RedisConnection& conn);
  void Listen(RedisConnection& conn, const std::stop_token& stop);
  void SetSubscribed(bool active);

  const RedisOptions options_;
  const std::vector<std::string> channels_;
  const MessageHandler on_message_;
  const ReconnectHandler on_reconnect_;

  mutable std::mutex mutex_;
  mutable std::condition_variable_any changed_;
  bool subscribed_ = false;
  int subscriptions_ = 0;

  std::jthread thread_;  // last: it starts once the members above exist
};

}  // namespace reel::redis
