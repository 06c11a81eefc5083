#include "user/domain/session_keeper.hpp"

#include <string>

namespace reel::user {
namespace {

Status Revoked() {
  return Unauthenticated("TOKEN_REVOKED", "this session was logged out; log in again");
}

}  // namespace

std::int64_t SessionKeeper::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

std::int64_t SessionKeeper::ExpiryFromNowMs() const {
  return NowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(
                       signer_.TtlOf(auth::TokenType::kRefresh))
                       .count();
}

Session SessionKeeper::Tokens(std::int64_t user_id, std::int64_t session_id,
                              std::int64_t generation, bool with_device) const {
  Session session;
  session.user_id = user_id;
  session.access_token =
      signer_.Issue(user_id, auth::TokenType::kAccess, {.session_id = session_id});
  session.refresh_token = signer_.Issue(user_id, auth::TokenType::kRefresh,
                                        {.session_id = session_id, .generation = generation});
  session.access_expires_in_seconds = signer_.TtlOf(auth::TokenType::kAccess).count();
  if (with_device) session.device_token = signer_.IssueDevice(user_id);
  return session;
}

Session SessionKeeper::Open(std::int64_t user_id, bool with_device) {
  const std::int64_t id = sessions_.Create(user_id, NowMs(), ExpiryFromNowMs());
  return Tokens(user_id, id, 1, with_device);
}

Session SessionKeeper::TokensOf(std::int64_t user_id, std::int64_t session_id,
                                bool with_device) const {
  return Tokens(user_id, session_id, 1, with_device);
}

Result<Session> SessionKeeper::Refresh(std::string_view refresh_token) {
  auto claims = signer_.Verify(refresh_token, auth::TokenType::kRefresh);
  if (!claims.ok()) return claims.status();
  const auto& bound = claims->binding;
  if (bound.session_id == 0 || bound.generation == 0) {
    return Unauthenticated("TOKEN_INVALID",
                           "this refresh token belongs to no session; log in again");
  }
  auto session = sessions_.Find(bound.session_id);
  if (!session || session->user_id != claims->user_id || bound.generation > session->generation) {
    return Unauthenticated("TOKEN_INVALID",
                           "this refresh token belongs to no session; log in again");
  }
  if (session->revoked()) return Revoked();
  // A deleted account must not be able to mint tokens forever.
  if (!users_.FindById(claims->user_id)) {
    return NotFound("USER_NOT_FOUND",
                    "user " + std::to_string(claims->user_id) + " does not exist");
  }
  // An older generation, or losing the race to rotate this one: the token was used before,
  // so someone holds a copy. End the session for both holders.
  if (bound.generation < session->generation ||
      !sessions_.Rotate(session->id, bound.generation, NowMs(), ExpiryFromNowMs())) {
    (void)sessions_.Revoke(session->id, NowMs());
    return Unauthenticated("TOKEN_REUSED",
                           "this refresh token was used before; the session is logged out");
  }
  return Tokens(claims->user_id, session->id, bound.generation + 1, false);
}

Result<LogoutOutcome> SessionKeeper::Logout(std::string_view access_token,
                                            std::string_view refresh_token) {
  if (access_token.empty() && refresh_token.empty()) {
    return Unauthenticated("TOKEN_MISSING", "send the access token or the refresh token");
  }
  auto claims = refresh_token.empty() ? signer_.Verify(access_token, auth::TokenType::kAccess)
                                      : signer_.Verify(refresh_token, auth::TokenType::kRefresh);
  if (!claims.ok()) return claims.status();
  auto session =
      claims->binding.session_id == 0 ? std::nullopt : sessions_.Find(claims->binding.session_id);
  if (!session || session->user_id != claims->user_id) {
    return Unauthenticated("TOKEN_INVALID", "this token belongs to no session");
  }
  return LogoutOutcome{claims->user_id, sessions_.Revoke(session->id, NowMs())};
}

Status SessionKeeper::Check(std::int64_t user_id, std::int64_t session_id) {
  if (!users_.FindById(user_id)) {
    return Unauthenticated("TOKEN_INVALID", "the account this token was issued to does not exist");
  }
  if (session_id == 0) return Status::Ok();
  auto session = sessions_.Find(session_id);
  if (!session || session->user_id != user_id) {
    return Unauthenticated("TOKEN_INVALID", "this token belongs to no session of its user");
  }
  return session->revoked() ? Revoked() : Status::Ok();
}

}  // namespace reel::user
