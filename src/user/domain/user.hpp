#pragma once

#include <cstdint>
#include <string>

namespace reel::user {

/// A user's own data. Social and video counters live in the services that own them.
struct User {
  std::int64_t id = 0;
  std::string name;
  std::string avatar;
  std::string background_image;
  std::string signature;
  std::int64_t created_at_ms = 0;
};

/// A user together with the stored password hash, for login only.
struct UserCredentials {
  User user;
  std::string password_hash;
};

/// What register, login and refresh hand back.
struct Session {
  std::int64_t user_id = 0;
  std::string access_token;
  std::string refresh_token;
  std::int64_t access_expires_in_seconds = 0;
};

}  // namespace reel::user
