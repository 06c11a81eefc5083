#pragma once

#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::redis {

/// A Redis call that failed, thrown by RedisClient.
///
/// kUnavailable: the server could not be reached, answered too late, refused the login, or
/// is not serving yet (LOADING, BUSY, MASTERDOWN). It is the Status Unavailable
/// "REDIS_UNAVAILABLE": what Redis holds is a shared copy, so callers fall back (a cache
/// reads the database, a rate limit counts in the process) instead of failing a request.
/// kReply: the server refused the command itself (WRONGTYPE, a script's error): a bug, the
/// Status Internal.
class RedisError : public StatusError {
 public:
  enum class Kind { kUnavailable, kReply };
  RedisError(Kind kind, const std::string& what, std::string error_code = {});

  Kind kind() const { return kind_; }
  bool unavailable() const { return kind_ == Kind::kUnavailable; }
  /// The first word of the server's error reply ("NOSCRIPT", "WRONGTYPE"); empty when no
  /// reply came.
  const std::string& error_code() const { return error_code_; }

 private:
  Kind kind_;
  std::string error_code_;
};

/// The error a server's error reply means: kUnavailable for those that say it cannot serve
/// now (LOADING, BUSY, MASTERDOWN, TRYAGAIN, NOAUTH, WRONGPASS), else kReply.
RedisError ErrorOfReply(std::string_view reply_text);

}  // namespace reel::redis
