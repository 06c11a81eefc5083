#include "user/domain/login_throttle.hpp"

#include <algorithm>

namespace reel::user {
namespace {

// No valid username is longer (32 code points of at most 4 bytes), and an address is an IP:
// longer keys only come from junk, which may share a bucket.
constexpr std::size_t kMaxNameKey = 128;
constexpr std::size_t kMaxAddressKey = 64;

// Folded to ASCII lower case like the unique index on names, so "Alice" and "alice" share.
std::string NameKey(std::string_view name) {
  std::string key(name.substr(0, kMaxNameKey));
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return key;
}

// '\n' cannot be in a username that exists, so two parts never read as another pair.
std::string Pair(const std::string& name_key, std::string_view other) {
  return name_key + '\n' + std::string(other.substr(0, kMaxAddressKey));
}

// The refusal that lasts longest, or allowed.
limits::Decision Longest(limits::Decision a, limits::Decision b) {
  if (a.allowed) return b;
  if (b.allowed) return a;
  return a.retry_after >= b.retry_after ? a : b;
}

}  // namespace

LoginThrottle::LoginThrottle(const LoginThrottleConfig& config, const Clock& clock,
                             std::size_t max_keys)
    : LoginThrottle(config, limits::LocalRateLimiters(clock, max_keys)) {}

LoginThrottle::LoginThrottle(const LoginThrottleConfig& config,
                             const limits::RateLimiterFactory& limiters)
    : name_and_address_(limiters("login.name_address", config.name_and_address)),
      address_(limiters("login.address", config.address)),
      name_(limiters("login.name", config.name)),
      device_(limiters("login.device", config.device)) {}

limits::Decision LoginThrottle::Check(const LoginAttempt& attempt) {
  const std::string name = NameKey(attempt.name);
  if (!attempt.device.empty()) return device_->Peek(Pair(name, attempt.device));
  limits::Decision decision = name_and_address_->Peek(Pair(name, attempt.address));
  decision = Longest(decision, address_->Peek(attempt.address.substr(0, kMaxAddressKey)));
  return Longest(decision, name_->Peek(name));
}

void LoginThrottle::Failed(const LoginAttempt& attempt) {
  const std::string name = NameKey(attempt.name);
  if (!attempt.device.empty()) {
    (void)device_->Take(Pair(name, attempt.device));
    return;
  }
  (void)name_and_address_->Take(Pair(name, attempt.address));
  (void)address_->Take(attempt.address.substr(0, kMaxAddressKey));
  (void)name_->Take(name);
}

}  // namespace reel::user
