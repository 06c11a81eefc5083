#include "views/user_views.hpp"

namespace reel::views {

Result<std::unordered_map<std::int64_t, user::v1::User>> UserViews::Get(
    std::span<const std::int64_t> ids, std::int64_t /*viewer: is_follow comes with relations*/) {
  std::unordered_map<std::int64_t, user::v1::User> out;
  if (ids.empty()) return out;
  user::v1::BatchGetUsersRequest users_request;
  video::v1::CountWorksRequest works_request;
  for (std::int64_t id : ids) {
    users_request.add_user_ids(id);
    works_request.add_author_ids(id);
  }
  auto users = users_.BatchGetUsers(users_request);
  if (!users.ok()) return users.status();
  video::v1::CountWorksReply works;
  if (videos_) {
    auto counted = videos_->CountWorks(works_request);
    if (!counted.ok()) return counted.status();
    works = std::move(*counted);
  }
  for (auto& u : *users->mutable_users()) {
    const auto count = works.work_counts().find(u.id());
    u.set_work_count(count == works.work_counts().end() ? 0 : count->second);
    out.emplace(u.id(), std::move(u));
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
