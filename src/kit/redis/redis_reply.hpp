#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reel::redis {

/// One reply of a Redis server (RESP2), copied out of hiredis so it outlives the
/// connection. Strings are bytes: any value, NUL bytes included, comes back as it went in.
/// An error reply is a value only inside an array (EXEC's results); at the top level
/// RedisClient throws it as a RedisError instead.
class RedisReply {
 public:
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  /// Nil: a missing key's GET, a timed-out BLPOP.
  RedisReply() = default;
  static RedisReply Integer(std::int64_t value);
  static RedisReply String(std::string bytes);
  /// A status line ("OK", "PONG", "QUEUED").
  static RedisReply Status(std::string text);
  static RedisReply Error(std::string text);
  static RedisReply Array(std::vector<RedisReply> elements);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  /// kInteger's value. Throws std::logic_error for another type, as the others do.
  std::int64_t integer() const;
  /// kString's bytes, kStatus's and kError's text.
  const std::string& str() const;
  /// kArray's elements.
  const std::vector<RedisReply>& elements() const;

  /// A readable form for messages and logs: nil, 42, "bytes", +OK, -ERR ..., [a, b].
  std::string Describe() const;

 private:
  Type type_ = Type::kNil;
  std::int64_t integer_ = 0;
  std::string str_;
  std::vector<RedisReply> elements_;
};

}  // namespace reel::redis
