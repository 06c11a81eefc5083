#include "views/user_views.hpp"

namespace reel::views {

std::string UserViews::UrlOf(const std::string& stored, std::int64_t user_id,
                             std::string_view default_file) const {
  if (urls_ == nullptr || stored.find("://") != std::string::npos) return stored;
  if (stored.empty()) {
    return urls_->OfPath("/api/user/" + std::to_string(user_id) + "/" + std::string(default_file));
  }
  return urls_->Of(stored);
}

user::v1::User UserViews::KnownOnlyById(std::int64_t id) const {
  user::v1::User u;
  u.set_id(id);
  u.set_avatar(UrlOf("", id, "avatar.png"));
  u.set_background_image(UrlOf("", id, "background.png"));
  return u;
}

Result<std::unordered_map<std::int64_t, user::v1::User>> UserViews::Get(
    std::span<const std::int64_t> ids, std::int64_t viewer, bool* degraded,
    std::unordered_set<std::int64_t>* hidden) {
  // Counters of a service that is down read 0, and the caller is told.
  auto degrade = [degraded](const Status& status, std::string_view what) {
    if (!DegradeWhenDown(status, what)) return false;
    if (degraded) *degraded = true;
    return true;
  };
  std::unordered_map<std::int64_t, user::v1::User> out;
  if (ids.empty()) return out;
  user::v1::BatchGetUsersRequest users_request;
  for (std::int64_t id : ids) users_request.add_user_ids(id);
  // Every state, and a hidden user (issue 16) left out here unless it is the viewer: the
  // same answer as asking as the viewer, but the caller learns who was hidden.
  users_request.set_viewer_id(viewer);
  users_request.set_all_states(true);
  auto users = clients_.users->BatchGetUsers(users_request);
  if (!users.ok()) return users.status();
  for (auto& u : *users->mutable_users()) {
    if (u.hidden() && u.id() != viewer) {
      if (hidden) hidden->insert(u.id());
      continue;
    }
    u.set_avatar(UrlOf(u.avatar(), u.id(), "avatar.png"));
    u.set_background_image(UrlOf(u.background_image(), u.id(), "background.png"));
    out.emplace(u.id(), std::move(u));
  }
  if (out.empty()) return out;

  if (clients_.videos) {
    video::v1::CountWorksRequest request;
    for (const auto& [id, user] : out) request.add_author_ids(id);
    request.set_viewer_id(viewer);  // others count only what they may see
    auto works = clients_.videos->CountWorks(request);
    if (works.ok()) {
      for (const auto& [id, count] : works->work_counts()) out[id].set_work_count(count);
    } else if (!degrade(works.status(), "work_count")) {
      return works.status();
    }
  }
  if (clients_.favorites) {
    favorite::v1::UserStatsRequest request;
    for (const auto& [id, user] : out) request.add_user_ids(id);
    auto stats = clients_.favorites->UserStats(request);
    if (stats.ok()) {
      for (const auto& [id, stat] : stats->stats()) {
        if (auto it = out.find(id); it != out.end()) {
          it->second.set_favorite_count(stat.favorite_count());
          it->second.set_total_favorited(stat.total_favorited());
        }
      }
    } else if (!degrade(stats.status(), "favorite counts")) {
      return stats.status();
    }
  }
  if (clients_.relations) {
    relation::v1::RelationStatsRequest request;
    for (const auto& [id, user] : out) request.add_user_ids(id);
    request.set_viewer_id(viewer);
    auto stats = clients_.relations->Stats(request);
    if (stats.ok()) {
      for (const auto& [id, stat] : stats->stats()) {
        if (auto it = out.find(id); it != out.end()) {
          it->second.set_follow_count(stat.follow_count());
          it->second.set_follower_count(stat.follower_count());
          it->second.set_is_follow(viewer != 0 && stat.followed_by_viewer());
        }
      }
    } else if (!degrade(stats.status(), "follow counts")) {
      return stats.status();
    }
  }
  return out;
}

Result<user::v1::User> UserViews::GetOne(std::int64_t id, std::int64_t viewer) {
  const std::int64_t ids[] = {id};
  auto found = Get(ids, viewer);
  if (!found.ok()) return found.status();
  auto it = found->find(id);
  if (it == found->end()) {
    return NotFound("USER_NOT_FOUND", "user " + std::to_string(id) + " does not exist");
  }
  return std::move(it->second);
}

}  // namespace reel::views
