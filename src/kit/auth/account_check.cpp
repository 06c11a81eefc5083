#include "kit/auth/account_check.hpp"

#include <charconv>
#include <limits>
#include <string>

namespace reel::auth {

namespace {
constexpr std::string_view kSharedName = "auth.account_checks";
}  // namespace

CachedAccountCheck::CachedAccountCheck(AccountCheck& inner, const Clock& clock,
                                       std::chrono::milliseconds ttl, std::size_t capacity,
                                       cache::SharedTier* shared)
    : inner_(inner), clock_(clock), ttl_(ttl), capacity_(capacity), shared_(shared) {
  if (!shared_) return;
  listener_ = shared_->Listen(kSharedName, [this](std::span<const std::string> users) {
    if (users.empty()) {
      std::lock_guard lock(mutex_);
      ++forgets_;
      valid_until_.clear();
      return;
    }
    for (const std::string& text : users) {
      std::int64_t user_id = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), user_id);
      if (error == std::errc() && end == text.data() + text.size()) ForgetHere(user_id);
    }
  });
}

CachedAccountCheck::~CachedAccountCheck() {
  if (shared_) shared_->Unlisten(listener_);
}

Status CachedAccountCheck::Check(std::int64_t user_id, std::int64_t session_id) {
  if (shared_ && !shared_->Coherent()) return inner_.Check(user_id, session_id);
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
  ForgetHere(user_id);
  inner_.Forget(user_id);
  if (shared_) {
    const std::string users[] = {std::to_string(user_id)};
    shared_->Invalidate(kSharedName, users);
  }
}

void CachedAccountCheck::ForgetHere(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  ++forgets_;
  // Keys are ordered by user, so a user's answers are one range.
  valid_until_.erase(
      valid_until_.lower_bound(Key{user_id, std::numeric_limits<std::int64_t>::min()}),
      valid_until_.upper_bound(Key{user_id, std::numeric_limits<std::int64_t>::max()}));
}

std::size_t CachedAccountCheck::Size() const {
  std::lock_guard lock(mutex_);
  return valid_until_.size();
}

}  // namespace reel::auth
