#include "kit/bus/dispatch.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "kit/log/log.hpp"

namespace reel::bus {
namespace {

// Sleeps for `delay` unless a stop is requested first; true when it slept the whole time.
bool SleepUnlessStopped(std::chrono::milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, delay, [] { return false; });
}

std::string WhatOf(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

DispatchResult Dispatch(const Delivery& delivery, const Handler& handler, const RetryPolicy& policy,
                        std::stop_token stop) {
  DispatchResult result;
  std::chrono::milliseconds backoff = policy.initial_backoff;
  const int max_attempts = std::max(1, policy.max_attempts);
  while (true) {
    if (stop.stop_requested()) {
      result.outcome = DispatchResult::Outcome::kStopped;
      return result;
    }
    ++result.attempts;
    try {
      handler(delivery);
      result.outcome = DispatchResult::Outcome::kHandled;
      return result;
    } catch (...) {
      result.error = WhatOf(std::current_exception());
    }
    if (result.attempts >= max_attempts) {
      log::Error("bus: message failed every attempt; parking it",
                 {{"message_id", delivery.message.id},
                  {"key", delivery.message.key},
                  {"attempts", result.attempts},
                  {"error", result.error}});
      result.outcome = DispatchResult::Outcome::kFailed;
      return result;
    }
    log::Warn("bus: message failed; retrying", {{"message_id", delivery.message.id},
                                                {"attempt", result.attempts},
                                                {"error", result.error}});
    if (!SleepUnlessStopped(backoff, stop)) {
      result.outcome = DispatchResult::Outcome::kStopped;
      return result;
    }
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '@' || c == '-';
  });
}

}  // namespace reel::bus
