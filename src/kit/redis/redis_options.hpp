#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace reel::redis {

/// Where a Redis server listens.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;

  /// "host:port".
  std::string ToString() const;
  /// Parses "host:port" (the port 1..65535). Throws std::invalid_argument otherwise.
  static RedisEndpoint Parse(std::string_view text);
};

/// How RedisClient and RedisSubscriber reach one server. The timeouts bound every call: a
/// server that is down or hung costs a caller at most connect_timeout + command_timeout
/// (plus pool_wait when every connection is busy), never a hang.
struct RedisOptions {
  RedisEndpoint endpoint;
  /// Sent with AUTH on every new connection; empty: none.
  std::string password;
  std::chrono::milliseconds connect_timeout{500};
  /// For one command's round trip (socket send and receive timeouts).
  std::chrono::milliseconds command_timeout{1000};
  /// RedisClient: at most this many connections, made on demand.
  int pool_size = 8;
  /// RedisClient: how long a call waits for a connection when all pool_size are in use.
  std::chrono::milliseconds pool_wait{1000};
  /// RedisSubscriber: the wait before reconnecting, doubled after each failed attempt up
  /// to reconnect_max.
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{2000};
};

}  // namespace reel::redis
