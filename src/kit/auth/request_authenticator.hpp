#pragma once

#include <cstdint>
#include <optional>

#include "kit/auth/token_signer.hpp"
#include "kit/http/message.hpp"
#include "kit/http/params.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// Finds who is calling from the access token a request carries (see http::TokenOf for
/// where it is looked for). Tokens are verified locally with the shared secret, so every
/// service authenticates without a call to the user service. Thread-safe.
class RequestAuthenticator {
 public:
  explicit RequestAuthenticator(const TokenSigner& signer) : signer_(signer) {}

  /// The caller's user id. Errors (UNAUTHENTICATED): TOKEN_MISSING, TOKEN_INVALID,
  /// TOKEN_EXPIRED.
  Result<std::int64_t> Require(const http::Request& request, const http::Params* params) const;

  /// nullopt for an anonymous request; an error when a token is present but not valid, so a
  /// client with an expired session hears about it instead of silently seeing less.
  Result<std::optional<std::int64_t>> Optional(const http::Request& request,
                                               const http::Params* params) const;

  /// The user of a valid token in the headers or query string, for rate limiting; nullopt
  /// when there is none or it is invalid.
  std::optional<std::int64_t> Identify(const http::Request& request) const;

 private:
  const TokenSigner& signer_;
};

}  // namespace reel::auth
