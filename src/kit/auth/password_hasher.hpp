#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reel::auth {

/// Argon2id cost. The defaults follow OWASP's minimum (19 MiB, 2 passes); tests lower them.
struct Argon2Params {
  std::uint64_t ops = 2;
  std::uint64_t memory_kib = 19 * 1024;
};

/// Argon2id password hashing (libsodium). Hashes are self-describing strings
/// ($argon2id$v=19$m=...), so a change of cost keeps old hashes verifiable.
/// Thread-safe.
class PasswordHasher {
 public:
  /// Call auth::InitCrypto() before constructing.
  explicit PasswordHasher(Argon2Params params);

  /// A new salted hash. Throws std::runtime_error when memory cannot be allocated.
  std::string Hash(std::string_view password) const;

  /// True when `password` matches `hash`. Constant-time in the password.
  bool Verify(std::string_view hash, std::string_view password) const;

  /// Burns the same time as a Verify, for logins of unknown users: the response time must
  /// not tell an attacker whether a username exists.
  void VerifyDummy(std::string_view password) const;

 private:
  Argon2Params params_;
  std::string dummy_hash_;
};

/// Initialises libsodium once per process. Throws when it cannot.
void InitCrypto();

}  // namespace reel::auth
