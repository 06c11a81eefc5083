#pragma once

#include <cstdint>
#include <optional>

#include "kit/auth/account_check.hpp"
#include "kit/auth/token_signer.hpp"
#include "kit/http/message.hpp"
#include "kit/http/params.hpp"
#include "kit/status/status.hpp"

namespace reel::auth {

/// Finds who is calling from the access token a request carries (see http::TokenOf for
/// where it is looked for). Tokens are verified locally with the shared secret, so reads
/// authenticate without a call to the user service. Requests that change something (any
/// method but GET, HEAD and OPTIONS) are also checked against an AccountCheck when one is
/// set: a token of a user that no longer exists, or of a session that was logged out, must
/// not write. Thread-safe once set up.
class RequestAuthenticator {
 public:
  explicit RequestAuthenticator(const TokenSigner& signer) : signer_(signer) {}

  /// Checks the writers of every later request against `accounts` (null: no check). Call
  /// before serving; `accounts` must outlive this object's use.
  void CheckWritesWith(AccountCheck* accounts) { accounts_ = accounts; }

  /// Drops what the account check remembers about `user_id` (after a logout or password
  /// change made in this process).
  void Forget(std::int64_t user_id) const {
    if (accounts_) accounts_->Forget(user_id);
  }

  /// The caller's user id. Errors (UNAUTHENTICATED): TOKEN_MISSING, TOKEN_INVALID,
  /// TOKEN_EXPIRED; on a write also those of AccountCheck::Check (TOKEN_INVALID for a user
  /// that does not exist, TOKEN_REVOKED, or kUnavailable when it cannot be asked).
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
  AccountCheck* accounts_ = nullptr;
};

}  // namespace reel::auth
