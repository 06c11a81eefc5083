#pragma once

#include <string>
#include <vector>

#include "app/app_config.hpp"

// `reel job status|dlq list|dlq replay`: the bus's consumer groups and dead letters, read
// from the bus itself (Redis Streams or Kafka, as bus.driver says), so they work whether or
// not the job process runs. Each prints to stdout and returns the exit code.
namespace reel::app {

/// Every consumer group: position, lag, pending, members, dead letters.
int RunJobStatus(const AppConfig& config);

/// The dead letters of `group` (every group's when empty), oldest first, at most `limit`
/// per group: id, event, attempts, last error, when parked.
int RunDeadLetterList(const AppConfig& config, const std::string& group, int limit);

/// Hands `group`'s dead letters named by `ids` (all when empty) back to the group, which
/// delivers each once more.
int RunDeadLetterReplay(const AppConfig& config, const std::string& group,
                        const std::vector<std::string>& ids);

}  // namespace reel::app
