#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "kit/clock/clock.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// Access tokens authorise requests; refresh tokens only buy a new pair. A token of one
/// type is never accepted as the other.
enum class TokenType { kAccess, kRefresh };

struct TokenConfig {
  std::string secret;  // at least 32 bytes
  std::chrono::milliseconds access_ttl = std::chrono::hours(24);
  std::chrono::milliseconds refresh_ttl = std::chrono::hours(24 * 30);
};

struct TokenClaims {
  std::int64_t user_id = 0;
  TokenType type = TokenType::kAccess;
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

/// Issues and verifies JWTs signed with HMAC-SHA256. The algorithm is pinned: a token whose
/// header names anything but HS256 (including "none") is refused, whatever its signature.
/// Thread-safe.
class TokenSigner {
 public:
  TokenSigner(TokenConfig config, const Clock& clock);

  std::string Issue(std::int64_t user_id, TokenType type) const;

  /// The claims of a valid, unexpired token of type `expected`.
  /// Errors (UNAUTHENTICATED): TOKEN_INVALID (malformed, forged, wrong algorithm or type),
  /// TOKEN_EXPIRED.
  Result<TokenClaims> Verify(std::string_view token, TokenType expected) const;

  std::chrono::seconds TtlOf(TokenType type) const;

 private:
  std::string Sign(std::string_view signing_input) const;

  TokenConfig config_;
  const Clock& clock_;
};

/// Reads the signing secret from `path`, creating it (32 random bytes, hex, mode 0600) when
/// the file does not exist. Throws std::runtime_error when it cannot.
std::string LoadOrCreateSecret(const std::string& path);

}  // namespace reel::auth
