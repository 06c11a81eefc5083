// The world the authorization matrix runs in: an owner (alice) with videos, comments, likes,
// a friend (bob) and a private conversation with him; another user (mallory) who owns none of
// it; and every kind of credential the matrix tries (the owner's, the other user's, none,
// expired, forged). Snapshot() reads back everything of alice's and bob's a refused write
// could have changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api_helpers.hpp"
#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::security {

/// Who calls, and with what credential. Every forged token names the owner (alice).
enum class Caller {
  kOwner,            ///< alice's genuine access token
  kOther,            ///< mallory's genuine access token
  kNone,             ///< no token at all
  kExpired,          ///< signed with the server's secret, `exp` a minute ago
  kBadSignature,     ///< signed with another secret
  kAlgNone,          ///< "alg":"none" and no signature
  kHs512,            ///< "alg":"HS512", signed with the server's secret by HMAC-SHA512
  kTamperedSub,      ///< mallory's genuine token with the subject changed to alice
  kRefreshAsAccess,  ///< alice's genuine refresh token where an access token belongs
  kUnknownUser,      ///< validly signed for a user id that does not exist
};

/// "owner", "other", "no token", "expired", ...
std::string_view CallerName(Caller caller);

/// The callers every protected route must refuse with 401, in the order the matrix tries them.
inline constexpr Caller kRefusedCallers[] = {
    Caller::kNone,  Caller::kExpired,     Caller::kBadSignature,   Caller::kAlgNone,
    Caller::kHs512, Caller::kTamperedSub, Caller::kRefreshAsAccess};

/// The /api reason a 401 for `caller` carries: TOKEN_MISSING, TOKEN_EXPIRED or TOKEN_INVALID.
std::string_view RefusalReason(Caller caller);

/// One named part of the world as the owner reads it back.
using Snapshot = std::vector<std::pair<std::string, std::string>>;

class AuthzWorld {
 public:
  AuthzWorld(e2e::ReelServer& server, e2e::HttpClient& client, e2e::MediaFixtures& media)
      : server_(server), client_(client), media_(media) {}

  /// Registers the users and makes their objects; adds a test failure and returns false when
  /// any step is refused.
  bool Build();

  /// The token `caller` sends ("" for kNone) where an access token belongs, or with `typ`
  /// "refresh" where a refresh token belongs (then kRefreshAsAccess is the wrong kind the
  /// other way round: alice's access token).
  std::string Token(Caller caller, std::string_view typ = "access") const;

  /// /api calls with `Authorization: Bearer <token>` (none when `token` is empty).
  e2e::HttpResponse Api(std::string_view method, std::string_view path, std::string_view json,
                        std::string_view token);
  e2e::HttpResponse ApiGet(std::string_view path, const e2e::Pairs& query, std::string_view token);
  /// /douyin calls with the token as the `token` parameter (none when empty): in the query
  /// string for GET, in the urlencoded form for POST.
  e2e::HttpResponse Douyin(std::string_view method, std::string_view path, e2e::Pairs params,
                           std::string_view token);
  /// Multipart uploads of `kind`: POST /api/video/upload (file field `data`, bearer token) and
  /// POST /douyin/publish/action (`data`, `title`, `token` fields).
  e2e::HttpResponse ApiUpload(e2e::MediaKind kind, std::string_view token);
  e2e::HttpResponse DouyinPublish(e2e::MediaKind kind, std::string_view title,
                                  std::string_view token);

  /// Everything of alice's and bob's, read as alice through /api, and the media store's files.
  Snapshot Read();

  /// Ids of the array `key` of an /api or /douyin list answer.
  static std::vector<std::int64_t> Ids(const e2e::HttpResponse& response, std::string_view key);

  e2e::ApiSession alice{}, bob{}, mallory{}, carol{};
  std::int64_t video = 0;                  ///< alice's; alice likes it
  std::int64_t doomed_video = 0;           ///< alice's; the owner cell of DELETE deletes it
  std::int64_t bob_video = 0;              ///< bob's
  std::int64_t comment = 0;                ///< alice's on `video`
  std::int64_t doomed_api_comment = 0;     ///< alice's on `video`; deleted by DELETE /api
  std::int64_t doomed_douyin_comment = 0;  ///< alice's on `video`; deleted by Douyin action 2
  std::string unpublished_key{};           ///< alice's upload (WebM) nobody has published
  std::string secret{};                    ///< alice's message to bob
  std::string bob_to_alice{};              ///< bob's message to alice

 private:
  std::int64_t Publish(const e2e::ApiSession& who, std::string_view title);
  std::int64_t Comment(const e2e::ApiSession& who, std::int64_t on, std::string_view text);
  bool Ok(const e2e::HttpResponse& response, std::string_view what);

  e2e::ReelServer& server_;
  e2e::HttpClient& client_;
  e2e::MediaFixtures& media_;
};

/// Where two snapshots differ, part by part ("" when equal).
std::string SnapshotDiff(const Snapshot& before, const Snapshot& after);

}  // namespace reel::security
