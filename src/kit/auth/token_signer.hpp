#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// Access tokens authorise requests; refresh tokens only buy a new pair; device tokens only
/// say "this client logged in as this user before" (they lift the per-username login
/// throttle, see user::LoginThrottle). A token of one type is never accepted as another.
enum class TokenType { kAccess, kRefresh, kDevice };

struct TokenConfig {
  std::string secret;  // at least 32 bytes
  std::chrono::milliseconds access_ttl = std::chrono::hours(24);
  std::chrono::milliseconds refresh_ttl = std::chrono::hours(24 * 30);
  std::chrono::milliseconds device_ttl = std::chrono::hours(24 * 180);
};

/// What a token is bound to besides its user: access and refresh tokens name their session
/// (a refresh-token family) and refresh tokens its generation; device tokens carry a random
/// id of their own. Zero / empty: not bound (tokens issued before sessions existed).
struct TokenBinding {
  std::int64_t session_id = 0;  // claim "sid"
  std::int64_t generation = 0;  // claim "gen"
  std::string device_id;        // claim "jti" (device tokens)
};

struct TokenClaims {
  std::int64_t user_id = 0;
  TokenType type = TokenType::kAccess;
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  TokenBinding binding;
};

/// Issues and verifies JWTs signed with HMAC-SHA256. The algorithm is pinned: a token whose
/// header names anything but HS256 (including "none") is refused, whatever its signature.
/// Thread-safe.
class TokenSigner {
 public:
  TokenSigner(TokenConfig config, const Clock& clock);

  std::string Issue(std::int64_t user_id, TokenType type, const TokenBinding& binding = {}) const;

  /// A device token for `user_id` with a fresh random device id (128 bits, hex).
  std::string IssueDevice(std::int64_t user_id) const;

  /// The claims of a valid, unexpired token of type `expected`.
  /// Errors (UNAUTHENTICATED): TOKEN_INVALID (malformed, forged, wrong algorithm or type, a
  /// binding claim that is not a positive integer), TOKEN_EXPIRED.
  Result<TokenClaims> Verify(std::string_view token, TokenType expected) const;

  std::chrono::seconds TtlOf(TokenType type) const;

 private:
  std::string Sign(std::string_view signing_input) const;

  TokenConfig config_;
  const Clock& clock_;
};

/// Reads the signing secret from `path`, creating it (32 random bytes, hex, mode 0600) when
/// the file does not exist. The file appears complete or not at all, so processes (or
/// threads) starting at once on a new path all get the one secret that was created.
/// Throws std::runtime_error when it cannot (unreadable, or shorter than 32 bytes).
std::string LoadOrCreateSecret(const std::string& path);

}  // namespace reel::auth
