#pragma once

#include <stop_token>
#include <string>

#include "kit/bus/bus.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::bus {

/// What became of one delivery offered to a handler.
struct DispatchResult {
  enum class Outcome {
    kHandled,  ///< the handler returned: acknowledge it
    kFailed,   ///< every attempt threw: park it in the group's dead-letter queue
    kStopped,  ///< the consumer is stopping: neither acknowledge nor park (redelivered later)
  } outcome = Outcome::kHandled;
  int attempts = 0;
  std::string error;  ///< what the last failed attempt threw
};

/// The one retry loop every driver uses: calls `handler` until it returns without throwing
/// or `policy.max_attempts` attempts have failed, sleeping between attempts with
/// exponential backoff (initial_backoff, doubled, capped at max_backoff). A stop request
/// ends the wait at once (kStopped). A failure is logged at warn with the message id and
/// the attempt; the final one at error.
DispatchResult Dispatch(const Delivery& delivery, const Handler& handler, const RetryPolicy& policy,
                        std::stop_token stop);

/// The same for a subscription's delivery, counted in the group's metrics:
/// reel_bus_consumed_total, reel_bus_retries_total and reel_bus_dead_lettered_total by
/// `group` (GroupLabel of options.group). What the drivers call.
DispatchResult Dispatch(const Delivery& delivery, const Handler& handler,
                        const SubscribeOptions& options, std::stop_token stop);

/// A group's counters (reel_bus_consumed_total, reel_bus_retries_total,
/// reel_bus_dead_lettered_total), created at 0 when first named so a first failure shows
/// as an increase.
struct GroupCounters {
  explicit GroupCounters(std::string_view group);
  prometheus::Counter* consumed;
  prometheus::Counter* retries;
  prometheus::Counter* dead_lettered;
};

/// A group's name as a metric label: the part before '@' ("search@127.0.0.1:9082" is
/// "search"), so a group per process does not make a label value per process (the scrape's
/// `instance` says which).
std::string GroupLabel(std::string_view group);

/// True when `name` is a valid group or consumer name: [A-Za-z0-9._:@-]{1,128}.
bool ValidName(std::string_view name);

}  // namespace reel::bus
