#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "kit/status/status.hpp"
#include "views/degrade.hpp"
#include "views/media_urls.hpp"
#include "views/service_clients.hpp"

namespace reel::views {

/// Assembles user objects as clients see them: the profile from the user service and each
/// counter from the service that owns it (work_count: video; favorite_count and
/// total_favorited: favorite; follow counts and is_follow: relation), with one call per
/// service however many users are asked for. `viewer` (0: anonymous) is who is looking.
/// Pictures (avatar, background_image) are stored as media keys and shown as absolute URLs;
/// a user without one gets the picture drawn for them (GET /api/user/{id}/avatar.png and
/// background.png, served by the user service), so clients never draw empty circles.
class UserViews {
 public:
  /// `urls` turns picture keys into URLs; null shows them as stored (and no default
  /// pictures). A stored value that is a URL already (holds "://") is shown as it is.
  UserViews(const ServiceClients& clients, const MediaUrls* urls)
      : clients_(clients), urls_(urls) {}

  /// The users that exist among `ids` and `viewer` may see (a hidden user only by
  /// themselves), by id. `degraded`, when given, is set when a counter service was down and
  /// its counters read 0. `hidden`, when given, gets the ids left out because they are
  /// hidden from `viewer` (so a caller can tell them from users that do not exist).
  Result<std::unordered_map<std::int64_t, user::v1::User>> Get(
      std::span<const std::int64_t> ids, std::int64_t viewer, bool* degraded = nullptr,
      std::unordered_set<std::int64_t>* hidden = nullptr);
  /// One user. Errors: USER_NOT_FOUND.
  Result<user::v1::User> GetOne(std::int64_t id, std::int64_t viewer);
  /// A user known only by id (the user service is down): the id and the drawn pictures,
  /// which need nothing else, so clients still draw a face.
  user::v1::User KnownOnlyById(std::int64_t id) const;

 private:
  std::string UrlOf(const std::string& stored, std::int64_t user_id,
                    std::string_view default_file) const;

  ServiceClients clients_;
  const MediaUrls* urls_;
};

}  // namespace reel::views
