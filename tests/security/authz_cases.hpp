// The authorization matrix: for every route that names a resource or acts for a user, how to
// call it with a given token and what the owner and another user must get. The callers that
// must be refused (no token, expired, forged) are the same for every case and are checked by
// the runner (authz_matrix_test.cpp) from the case's flags, so a case states only what is
// particular to its route.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "authz_world.hpp"
#include "route_table.hpp"

namespace reel::security {

/// Groups of cases that share a world (one server per group).
enum class Area { kUser, kVideo, kFeed, kInteraction, kSocial, kModeration };

/// One row of the matrix.
struct AuthzCase {
  Area area = Area::kUser;
  Route route{};
  /// Which use of a route that does several things ("action_type=2"), or "".
  std::string variant{};
  /// Anonymous callers are served (a public read); otherwise no token is a 401.
  bool anonymous_ok = false;
  /// Invalid tokens are served as anonymous (documented for the Douyin feed only); otherwise
  /// every invalid token is a 401.
  bool ignores_bad_tokens = false;
  /// A write: every refusal must leave the world as it was, and a validly signed token of a
  /// user who does not exist must be refused too.
  bool writes = false;
  /// The other user's (allowed) write changes what AuthzWorld::Read() sees, so the runner
  /// reads the world again instead of comparing.
  bool other_changes_world = false;
  /// Sends the request with `token` ("" for none) where this API takes it.
  std::function<e2e::HttpResponse(AuthzWorld&, const std::string& token)> send{};
  /// What the owner (alice) must get, and what another user (mallory) must get: a refusal
  /// where the resource is the owner's, or an answer about their own things only.
  std::function<void(AuthzWorld&, const e2e::HttpResponse&)> owner{};
  std::function<void(AuthzWorld&, const e2e::HttpResponse&)> other{};
  /// With anonymous_ok or ignores_bad_tokens: what an anonymous caller must (not) see beyond a
  /// success, e.g. no private messages. May be empty.
  std::function<void(AuthzWorld&, const e2e::HttpResponse&)> anonymous{};

  std::string Name() const { return route.Name() + (variant.empty() ? "" : " " + variant); }
};

/// Every case, in the order they run within an area.
std::vector<AuthzCase> AuthzCases();
/// The cases of user, video and feed routes (authz_cases_content.cpp).
std::vector<AuthzCase> ContentCases();
/// The cases of comment, favorite, relation and message routes (authz_cases_social.cpp).
std::vector<AuthzCase> SocialCases();
/// The cases of bookmark, collection and share routes (authz_cases_collections.cpp, issue 16).
std::vector<AuthzCase> CollectionCases();
/// The cases of report and moderation routes (authz_cases_moderation.cpp).
std::vector<AuthzCase> ModerationCases();

/// Routes that name no resource and act for nobody, with why: served to anyone, tokens or not.
struct PublicRoute {
  Route route{};
  std::string why{};
};
const std::vector<PublicRoute>& PublicRoutes();
/// Routes covered by a test of their own in authz_matrix_test.cpp (their credential is in the
/// body, not where the matrix puts tokens).
const std::vector<Route>& DedicatedRoutes();

// ---- checks the cases share -----------------------------------------------------------

/// HTTP 200 with a JSON object (adds a failure otherwise); the body.
rapidjson::Document ApiOk(const e2e::HttpResponse& response);
/// HTTP 200 with status_code 0 (adds a failure otherwise); the body.
rapidjson::Document DouyinOk(const e2e::HttpResponse& response);
/// The /api refusal shape with this status and reason.
void ApiRefused(const e2e::HttpResponse& response, long status, std::string_view reason);
/// HTTP 200 with this status_code and a non-empty status_msg.
void DouyinRefused(const e2e::HttpResponse& response, std::int64_t status_code);
/// The body does not contain `text` (private data must not leak).
void Lacks(const e2e::HttpResponse& response, std::string_view text);

/// Ids in the array at `key` of a response (`id` of each object).
std::vector<std::int64_t> IdsAt(const rapidjson::Value& body, std::string_view key);
bool Contains(const std::vector<std::int64_t>& ids, std::int64_t id);

}  // namespace reel::security
