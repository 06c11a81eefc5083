#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::user {

/// A session: one sign-in (register, login or password change) and the refresh tokens it
/// rotates through. Refresh token generation `generation` is the only one that may be used;
/// an older one coming back means it was copied, and the whole session is revoked.
struct StoredSession {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t generation = 1;
  std::int64_t created_at_ms = 0;
  std::int64_t last_used_at_ms = 0;
  /// When its newest refresh token expires; the row is dropped some time after.
  std::int64_t expires_at_ms = 0;
  std::int64_t revoked_at_ms = 0;  // 0: live

  bool revoked() const { return revoked_at_ms != 0; }
};

/// Storage of sessions, and of the password change that ends them. Implementations are
/// thread-safe.
class SessionRepository {
 public:
  virtual ~SessionRepository() = default;

  /// Opens a session at generation 1 and returns its id. Drops the user's sessions that
  /// expired before `now_ms` on the way, so a user's rows stay as many as their live
  /// sign-ins.
  virtual std::int64_t Create(std::int64_t user_id, std::int64_t now_ms,
                              std::int64_t expires_at_ms) = 0;

  virtual std::optional<StoredSession> Find(std::int64_t id) = 0;

  /// Moves live session `id` from `generation` to the next one (used now, expiring at
  /// `expires_at_ms`), atomically. False, changing nothing, when it is revoked or no longer
  /// at `generation`: another use of the same refresh token came first.
  virtual bool Rotate(std::int64_t id, std::int64_t generation, std::int64_t now_ms,
                      std::int64_t expires_at_ms) = 0;

  /// Revokes session `id`. True when it was live.
  virtual bool Revoke(std::int64_t id, std::int64_t now_ms) = 0;

  /// The ids of user `user_id`'s sessions, live or not (as many as their recent sign-ins).
  virtual std::vector<std::int64_t> SessionsOf(std::int64_t user_id) = 0;

  /// In one transaction: replaces user `user_id`'s password hash, revokes every session of
  /// theirs and opens a new one, whose id it returns. Errors: USER_NOT_FOUND (NOT_FOUND).
  virtual Result<std::int64_t> ChangePassword(std::int64_t user_id, std::string_view password_hash,
                                              std::int64_t now_ms, std::int64_t expires_at_ms) = 0;
};

}  // namespace reel::user
