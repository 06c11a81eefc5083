// Helpers for the /api interaction end-to-end tests (favorites, comments, relations,
// messages): JSON calls with a bearer token, /api error checks, the token refusals every
// write route must give, and a walker that follows next_cursor to the end of a list. Builds
// on api_helpers.hpp (Bearer, IsApiError, BadTokensFor).
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api_helpers.hpp"
#include "harness.hpp"
#include "interactions_fixture.hpp"

namespace reel::e2e {

/// An /api answer and its body parsed once.
struct ApiReply {
  HttpResponse response{};
  rapidjson::Document json{};

  std::string Describe() const { return response.Describe(); }
};

/// HTTP 200 with a JSON object body.
::testing::AssertionResult IsApiOk(const ApiReply& reply);
/// The /api error shape: HTTP `status`, body {code: status, reason, message (non-empty)}.
::testing::AssertionResult IsApiError(const ApiReply& reply, long status, std::string_view reason);

/// The `id` of each object of the array at `key`, in order; empty (and a failure) when there
/// is no such array.
std::vector<std::int64_t> ReplyIds(const ApiReply& reply, std::string_view key);

/// The body of the /api switch routes: `{"video_id":N,"action":"..."}` (like, collect) and
/// `{"to_user_id":N,"action":"..."}` (follow, block).
std::string VideoActionJson(std::int64_t video_id, std::string_view action);
std::string UserActionJson(std::int64_t to_user_id, std::string_view action);

/// Follows next_cursor from the first page until has_more is false (at most `max_pages`
/// pages), checking on every page that has_more agrees with next_cursor, and returns the ids
/// of the items at `key` in order. `fetch(cursor)` asks for one page ("" for the first).
std::vector<std::int64_t> WalkApiList(const std::function<ApiReply(const std::string&)>& fetch,
                                      std::string_view key, int max_pages = 30);

/// A server per test (rate limits off, kKnownSecret as JWT secret so tests can forge
/// tokens) with /api calls and users signed in through the /api.
class ApiInteractionTest : public InteractionTest {
 protected:
  ServerOptions Options() const override;

  /// Registers `name` through POST /api/user/register; fails the test when refused.
  ApiSession NewApiUser(std::string_view name);
  /// The same user as the Douyin helpers want it (the access token works on both APIs).
  static DouyinSession AsDouyin(const ApiSession& session) {
    return {session.user_id, session.access_token};
  }

  /// An empty token sends no Authorization header.
  ApiReply PostApi(std::string_view path, std::string_view json, std::string_view token);
  ApiReply GetApi(std::string_view path, const Pairs& query, std::string_view token);
  ApiReply DeleteApi(std::string_view path, std::string_view token);
  /// Any request with explicit headers (for the token refusals).
  ApiReply Send(std::string_view method, std::string_view path, std::string_view json,
                const Pairs& headers);

  /// An access token for `user_id` that expired a minute ago, signed with the server's secret.
  static std::string ExpiredToken(std::int64_t user_id);

  /// Sends `method path` with `json` and each kind of bad credentials: no token, a token in
  /// the query string only (not counted on /api), every BadTokensFor(who) token, and `who`'s
  /// genuine refresh token. Each must be refused with 401 and its reason.
  void ExpectTokenRefusals(std::string_view method, std::string_view path, std::string_view json,
                           const ApiSession& who);

  /// GET /api/user?user_id= as `viewer_token`'s user: the user object.
  rapidjson::Document ApiUser(std::int64_t user_id, std::string_view viewer_token = {});
};

}  // namespace reel::e2e
