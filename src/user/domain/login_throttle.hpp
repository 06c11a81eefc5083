#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/limits/keyed_rate_limiter.hpp"
#include "kit/limits/rate_limiter.hpp"

namespace reel::user {

/// How fast failed logins are allowed (token buckets: `burst` at once, then `rate` a second).
/// Slow the guesser, not the owner: the tight bucket is per (username, client address), so a
/// guesser at one address does not stop the owner at another; the per-username ceiling is
/// looser, against guessing from many addresses, and a client holding a device token of the
/// user (from an earlier successful login) skips it and meets only its own bucket.
struct LoginThrottleConfig {
  limits::Rate name_and_address{0.1, 5};  // 5, then one every 10 s
  limits::Rate address{0.5, 20};          // any usernames from one address: 20, then 1 / 2 s
  limits::Rate name{0.5, 50};             // one username from anywhere: 50, then 1 / 2 s
  limits::Rate device{0.1, 10};           // one username on one device token: 10, then 1 / 10 s
};

/// Who is trying to log in.
struct LoginAttempt {
  std::string_view name;     // as typed; folded to ASCII lower case like the unique index
  std::string_view address;  // the client's IP; empty when unknown (one shared bucket)
  /// The id of a valid device token of the user this name belongs to; empty for none.
  std::string_view device;
};

/// The failed-login buckets (OWASP's "device cookies" scheme). Without a device token an
/// attempt must find a token in its (name, address), address and name buckets; with one,
/// only in its (name, device) bucket. Each failure takes one from every bucket that
/// applies; successes take nothing. Memory is bounded by the limiters. Thread-safe.
class LoginThrottle {
 public:
  /// Buckets in this process's memory.
  LoginThrottle(const LoginThrottleConfig& config, const Clock& clock,
                std::size_t max_keys = 100'000);
  /// Buckets `limiters` makes (shared by the replicas through Redis, for one): named
  /// "login.name_address", "login.address", "login.name" and "login.device".
  LoginThrottle(const LoginThrottleConfig& config, const limits::RateLimiterFactory& limiters);

  /// Whether `attempt` may be tried now, without taking anything. When refused,
  /// retry_after is the longest wait among the empty buckets.
  limits::Decision Check(const LoginAttempt& attempt);

  /// Records a failed attempt.
  void Failed(const LoginAttempt& attempt);

 private:
  std::unique_ptr<limits::RateLimiter> name_and_address_;
  std::unique_ptr<limits::RateLimiter> address_;
  std::unique_ptr<limits::RateLimiter> name_;
  std::unique_ptr<limits::RateLimiter> device_;
};

}  // namespace reel::user
