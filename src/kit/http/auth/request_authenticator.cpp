#include "kit/http/auth/request_authenticator.hpp"

namespace reel::auth {
namespace {

// Requests that cannot change anything; everything else is a write.
bool IsRead(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace

Result<std::int64_t> RequestAuthenticator::Require(const http::Request& request,
                                                   const http::Params* params) const {
  const std::string_view token = http::TokenOf(request, params);
  if (token.empty()) return Unauthenticated("TOKEN_MISSING", "sign in first: no token was sent");
  auto claims = signer_.Verify(token, TokenType::kAccess);
  if (!claims.ok()) return claims.status();
  if (accounts_ && !IsRead(request.method)) {
    if (Status s = accounts_->Check(claims->user_id, claims->binding.session_id); !s.ok()) {
      return s;
    }
  }
  return claims->user_id;
}

Result<std::optional<std::int64_t>> RequestAuthenticator::Optional(
    const http::Request& request, const http::Params* params) const {
  if (http::TokenOf(request, params).empty()) return std::optional<std::int64_t>{};
  auto user = Require(request, params);
  if (!user.ok()) return user.status();
  return std::optional<std::int64_t>{*user};
}

std::optional<std::int64_t> RequestAuthenticator::Identify(const http::Request& request) const {
  std::string_view token = http::TokenOf(request, nullptr);
  std::string from_query;
  if (token.empty()) {
    for (auto& [name, value] : http::ParseUrlEncoded(request.query)) {
      if (name == "token") from_query = std::move(value);
    }
    token = from_query;
  }
  if (token.empty()) return std::nullopt;
  auto claims = signer_.Verify(token, TokenType::kAccess);
  if (!claims.ok()) return std::nullopt;
  return claims->user_id;
}

}  // namespace reel::auth
