#pragma once

#include "kit/cache/invalidating_cache.hpp"
#include "kit/clock/clock.hpp"
#include "user/domain/session_repository.hpp"

namespace reel::user {

/// SessionRepository that keeps sessions (refresh-token families: generation, expiry,
/// revocation) in memory and, through `shared`, in Redis for every replica, in front of the
/// repository that stores them durably. Every session write commits there first, then
/// invalidates the session here, in Redis and in every other process's memory, so a
/// revocation or a rotation is seen at once everywhere; a session lives in Redis until its
/// refresh token expires. The durable store stays the truth: a Redis restart signs nobody
/// out, and while Redis is down sessions are read from the store (see cache::SharedTier).
class CachedSessionRepository final : public SessionRepository {
 public:
  CachedSessionRepository(SessionRepository& store, std::size_t capacity, const Clock& clock,
                          cache::SharedTier* shared = nullptr)
      : store_(store), clock_(clock), sessions_(capacity, nullptr, SessionsShared(shared, clock)) {}

  std::int64_t Create(std::int64_t user_id, std::int64_t now_ms,
                      std::int64_t expires_at_ms) override;
  std::optional<StoredSession> Find(std::int64_t id) override;
  bool Rotate(std::int64_t id, std::int64_t generation, std::int64_t now_ms,
              std::int64_t expires_at_ms) override;
  bool Revoke(std::int64_t id, std::int64_t now_ms) override;
  Result<std::int64_t> ChangePassword(std::int64_t user_id, std::string_view password_hash,
                                      std::int64_t now_ms, std::int64_t expires_at_ms) override;
  std::vector<std::int64_t> SessionsOf(std::int64_t user_id) override {
    return store_.SessionsOf(user_id);
  }

 private:
  static cache::SharedBinding<std::int64_t, StoredSession> SessionsShared(cache::SharedTier* tier,
                                                                          const Clock& clock);

  SessionRepository& store_;
  const Clock& clock_;
  cache::InvalidatingCache<std::int64_t, StoredSession> sessions_;
};

}  // namespace reel::user
