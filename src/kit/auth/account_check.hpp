#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include "kit/cache/shared_tier.hpp"
#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// Asks the owner of the accounts whether a token's user and session may still change
/// things. Tokens are verified locally, so a token stays valid for its user id after the
/// user is gone or the session is logged out; writes ask this too (RequestAuthenticator),
/// reads do not. Implementations are thread-safe.
class AccountCheck {
 public:
  virtual ~AccountCheck() = default;

  /// Ok when user `user_id` exists and session `session_id` (0: a token issued before
  /// sessions existed, which names none) has not been revoked. Errors (UNAUTHENTICATED):
  /// TOKEN_INVALID for a user that does not exist or a session that is not theirs,
  /// TOKEN_REVOKED for a session that was logged out; kUnavailable when the owner cannot be
  /// asked (then nothing may be written either).
  virtual Status Check(std::int64_t user_id, std::int64_t session_id) = 0;

  /// Drops what is remembered about `user_id`'s sessions (after a logout or a password
  /// change, so this process refuses a revoked session's writes at once).
  virtual void Forget(std::int64_t /*user_id*/) {}
};

/// An AccountCheck that remembers positive answers of another for `ttl`, so a burst of
/// writes by one session costs one question. Negative answers are never kept (a refusal
/// must not outlive its cause, and refused requests are rare). At most `capacity` answers
/// are held; when full it starts over. A Forget racing a question in flight wins: an
/// answer is kept only if no Forget happened while it was asked.
///
/// With a SharedTier (replicas), a Forget in one process reaches every other's, so a
/// logout or a password change stops the session's writes on every replica at once; while
/// the tier cannot promise that (SharedTier::Coherent), nothing remembered is used.
/// Thread-safe.
class CachedAccountCheck final : public AccountCheck {
 public:
  /// `ttl` 0 keeps nothing (every write asks).
  CachedAccountCheck(AccountCheck& inner, const Clock& clock, std::chrono::milliseconds ttl,
                     std::size_t capacity = 65536, cache::SharedTier* shared = nullptr);
  ~CachedAccountCheck() override;

  Status Check(std::int64_t user_id, std::int64_t session_id) override;
  void Forget(std::int64_t user_id) override;

  /// Answers held now (for tests).
  std::size_t Size() const;

 private:
  using Key = std::pair<std::int64_t, std::int64_t>;  // (user, session), ordered by user

  void ForgetHere(std::int64_t user_id);

  AccountCheck& inner_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<Key, std::chrono::steady_clock::time_point> valid_until_;
  std::uint64_t forgets_ = 0;  // raised by every Forget
  cache::SharedTier* shared_;
  std::uint64_t listener_ = 0;
};

}  // namespace reel::auth
