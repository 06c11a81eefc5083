#include "kit/auth/account_check.hpp"

#include <limits>

namespace reel::auth {

Status CachedAccountCheck::Check(std::int64_t user_id, std::int64_t session_id) {
  const Key key{user_id, session_id};
  std::uint64_t forgets = 0;
  {
    std::lock_guard lock(mutex_);
    if (auto it = valid_until_.find(key); it != valid_until_.end()) {
      if (clock_.Monotonic() < it->second) return Status::Ok();
      valid_until_.erase(it);
    }
    forgets = forgets_;
  }
  Status answer = inner_.Check(user_id, session_id);
  if (!answer.ok() || ttl_.count() <= 0) return answer;
  std::lock_guard lock(mutex_);
  if (forgets == forgets_) {
    if (valid_until_.size() >= capacity_) valid_until_.clear();
    valid_until_.insert_or_assign(key, clock_.Monotonic() + ttl_);
  }
  return answer;
}

void CachedAccountCheck::Forget(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  ++forgets_;
  // Keys are ordered by user, so a user's answers are one range.
  valid_until_.erase(
      valid_until_.lower_bound(Key{user_id, std::numeric_limits<std::int64_t>::min()}),
      valid_until_.upper_bound(Key{user_id, std::numeric_limits<std::int64_t>::max()}));
  inner_.Forget(user_id);
}

std::size_t CachedAccountCheck::Size() const {
  std::lock_guard lock(mutex_);
  return valid_until_.size();
}

}  // namespace reel::auth
