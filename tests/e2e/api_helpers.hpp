// Helpers for end-to-end tests of the JSON API (/api): bearer headers, the error shape,
// publishing through upload + create, and tokens the server must refuse.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"

namespace reel::e2e {

/// The JWT secret servers started with KnownSecretOptions() sign with, so tests can forge.
inline constexpr std::string_view kKnownSecret = "e2e-known-secret-long-enough-0123456789";
/// Server options with kKnownSecret.
ServerOptions KnownSecretOptions();

/// {"Authorization": "Bearer <token>"}.
Pairs Bearer(std::string_view token);

/// HTTP `status`, and a body {"code": status, "reason": reason, "message": non-empty}.
::testing::AssertionResult IsApiError(const HttpResponse& response, long status,
                                      std::string_view reason);

/// Tokens for `user_id` that a server with kKnownSecret must refuse, with the reason it must
/// give: expired (TOKEN_EXPIRED), signed with another secret (TOKEN_INVALID), a refresh token
/// used as an access token (TOKEN_INVALID), and garbage (TOKEN_INVALID).
struct BadToken {
  std::string name;
  std::string token;
  std::string reason;
};
std::vector<BadToken> BadTokensFor(std::int64_t user_id);
/// An access token for `user_id` signed with kKnownSecret, valid for 10 minutes.
std::string ForgeAccessToken(std::int64_t user_id);

/// POST /api/video/upload with `file`, then POST /api/video/create. Returns the new video's
/// id, or 0 after adding a (non-fatal) test failure.
std::int64_t ApiPublish(HttpClient& client, std::string_view token,
                        const std::filesystem::path& file, std::string_view title,
                        std::string_view description = {},
                        const std::vector<std::string>& tags = {});

/// The ids of the `key` array of an /api list answer, in order.
std::vector<std::int64_t> ApiIds(const rapidjson::Value& body, std::string_view key);

/// Follows next_cursor from the first page to the end: ids of every page in order. `fetch`
/// gets the cursor ("" first). Fails the test when a page fails or there are more than
/// `max_pages` pages.
std::vector<std::int64_t> ApiAllIds(const std::function<HttpResponse(const std::string&)>& fetch,
                                    std::string_view key, int max_pages = 200);

}  // namespace reel::e2e
