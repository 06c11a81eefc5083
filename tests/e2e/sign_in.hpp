// Quick sign-in helpers: register or log in a user through the Douyin or the JSON API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http_client.hpp"

namespace reel::e2e {

/// A user signed in through the Douyin API.
struct DouyinSession {
  std::int64_t user_id = 0;
  std::string token{};
};

/// POST /douyin/user/register/ with a form body. On refusal adds a (non-fatal) test failure
/// and returns user_id 0.
DouyinSession RegisterDouyin(HttpClient& client, std::string_view name, std::string_view password);
/// POST /douyin/user/login/, same failure handling as RegisterDouyin().
DouyinSession LoginDouyin(HttpClient& client, std::string_view name, std::string_view password);

/// A user signed in through the JSON API.
struct ApiSession {
  std::int64_t user_id = 0;
  std::string access_token{};
  std::string refresh_token{};
};

/// POST /api/user/register. On refusal adds a (non-fatal) test failure and returns user_id 0.
ApiSession RegisterApi(HttpClient& client, std::string_view name, std::string_view password);
/// POST /api/user/login, same failure handling as RegisterApi().
ApiSession LoginApi(HttpClient& client, std::string_view name, std::string_view password);

}  // namespace reel::e2e
