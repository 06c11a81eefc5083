#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reel::user {

inline constexpr std::string_view kRoleUser = "user";
inline constexpr std::string_view kRoleModerator = "moderator";

/// A user's own data. Social and video counters live in the services that own them.
struct User {
  std::int64_t id = 0;
  std::string name;
  std::string avatar;
  std::string background_image;
  std::string signature;
  std::int64_t created_at_ms = 0;
  /// Issue 16: "user" or "moderator" (granted at run time by the moderation service), and
  /// whether the user is hidden pending review (then found only by themselves or with
  /// all_states, see UserService::GetUser).
  std::string role = std::string(kRoleUser);
  bool hidden = false;
};

/// A change to a user's own profile: each field that is set replaces the stored value, the
/// others stay as they are. Images are named by their media key ("<sha256>.jpg"), stored
/// before the change is made.
struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::string> signature;
  std::optional<std::string> avatar_key;
  std::optional<std::string> background_key;

  bool empty() const { return !name && !signature && !avatar_key && !background_key; }
};

/// A page of user ids in ascending order; `next_after_id` continues it (0: the last page).
struct UserIdPage {
  std::vector<std::int64_t> user_ids;
  std::int64_t next_after_id = 0;
};

/// A user together with the stored password hash, for login only.
struct UserCredentials {
  User user;
  std::string password_hash;
};

/// What register, login, refresh and a password change hand back. `device_token` only
/// from register and login (see LoginThrottle); empty otherwise.
struct Session {
  std::int64_t user_id = 0;
  std::string access_token;
  std::string refresh_token;
  std::int64_t access_expires_in_seconds = 0;
  std::string device_token;
};

}  // namespace reel::user
