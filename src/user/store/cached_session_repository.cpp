#include "user/store/cached_session_repository.hpp"

#include <algorithm>

namespace reel::user {

cache::SharedBinding<std::int64_t, StoredSession> CachedSessionRepository::SessionsShared(
    cache::SharedTier* tier, const Clock& clock) {
  auto binding =
      cache::IdKeyedFields<StoredSession>(tier, "user.sessions", 1, [](auto& io, auto& session) {
        io.Field(session.id);
        io.Field(session.user_id);
        io.Field(session.generation);
        io.Field(session.created_at_ms);
        io.Field(session.last_used_at_ms);
        io.Field(session.expires_at_ms);
        io.Field(session.revoked_at_ms);
      });
  // In Redis until its newest refresh token expires (a second at least).
  binding.ttl_of = [&clock](const StoredSession& session) {
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch());
    return std::chrono::milliseconds(
        std::max<std::int64_t>(1000, session.expires_at_ms - now.count()));
  };
  return binding;
}

std::int64_t CachedSessionRepository::Create(std::int64_t user_id, std::int64_t now_ms,
                                             std::int64_t expires_at_ms) {
  const std::int64_t id = store_.Create(user_id, now_ms, expires_at_ms);
  sessions_.Invalidate(id);  // it may have been looked up, and cached as absent, before
  return id;
}

std::optional<StoredSession> CachedSessionRepository::Find(std::int64_t id) {
  return sessions_.Get(id, [&](std::int64_t key) { return store_.Find(key); });
}

bool CachedSessionRepository::Rotate(std::int64_t id, std::int64_t generation, std::int64_t now_ms,
                                     std::int64_t expires_at_ms) {
  const bool rotated = store_.Rotate(id, generation, now_ms, expires_at_ms);
  if (rotated) sessions_.Invalidate(id);
  return rotated;
}

bool CachedSessionRepository::Revoke(std::int64_t id, std::int64_t now_ms) {
  const bool revoked = store_.Revoke(id, now_ms);
  sessions_.Invalidate(id);  // whatever the outcome: another process may have revoked it
  return revoked;
}

Result<std::int64_t> CachedSessionRepository::ChangePassword(std::int64_t user_id,
                                                             std::string_view password_hash,
                                                             std::int64_t now_ms,
                                                             std::int64_t expires_at_ms) {
  auto opened = store_.ChangePassword(user_id, password_hash, now_ms, expires_at_ms);
  // Every session of the user was revoked in that transaction. Listed after it: a session
  // read before it and cached meanwhile is among them, and its invalidation here refuses
  // that read's copy everywhere.
  for (std::int64_t id : store_.SessionsOf(user_id)) sessions_.Invalidate(id);
  return opened;
}

}  // namespace reel::user
