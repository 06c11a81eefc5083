#include "kit/bus/dispatch.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "kit/log/log.hpp"
#include "kit/metrics/metrics.hpp"

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

GroupCounters::GroupCounters(std::string_view group) {
  static auto& consumed_family = metrics::CounterFamily(
      "reel_bus_consumed_total", "Events a consumer group handled, by group.");
  static auto& retries_family = metrics::CounterFamily(
      "reel_bus_retries_total", "Handler attempts that failed and were retried, by group.");
  static auto& parked_family = metrics::CounterFamily(
      "reel_bus_dead_lettered_total", "Events that failed every attempt, by group.");
  const prometheus::Labels labels = {{"group", GroupLabel(group)}};
  consumed = &consumed_family.Add(labels);
  retries = &retries_family.Add(labels);
  dead_lettered = &parked_family.Add(labels);
}

DispatchResult Dispatch(const Delivery& delivery, const Handler& handler,
                        const SubscribeOptions& options, std::stop_token stop) {
  DispatchResult result = Dispatch(delivery, handler, options.retry, stop);
  const GroupCounters counters(options.group);
  if (result.outcome == DispatchResult::Outcome::kHandled) counters.consumed->Increment();
  if (result.outcome == DispatchResult::Outcome::kFailed) counters.dead_lettered->Increment();
  // Every attempt but the last was followed by another.
  if (result.attempts > 1) counters.retries->Increment(result.attempts - 1);
  return result;
}

std::string GroupLabel(std::string_view group) {
  return std::string(group.substr(0, group.find('@')));
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '@' || c == '-';
  });
}

}  // namespace reel::bus
