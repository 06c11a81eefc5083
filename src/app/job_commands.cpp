#include "app/job_commands.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "app/module.hpp"
#include "app/wiring.hpp"
#include "events/v1/events.pb.h"
#include "kit/events/event_wire.hpp"

namespace reel::app {
namespace {

// The bus the processes of this configuration use (never the in-process one: that lives
// inside a `reel all` process and its dead letters with it).
struct OpenedBus {
  std::unique_ptr<redis::RedisClient> redis;
  std::unique_ptr<bus::Bus> bus;
};

OpenedBus Open(const AppConfig& config) {
  if (config.bus.driver == "in-process") {
    throw std::runtime_error(
        "bus.driver is in-process: its groups and dead letters live inside the `reel all` "
        "process (its log names each parked event); these commands read a redis or kafka bus");
  }
  OpenedBus opened;
  opened.redis = OpenRedis(config);
  opened.bus = OpenBus(config, opened.redis.get(), /*all_in_one=*/false);
  return opened;
}

// "VIDEO_DELETED video 42 by 7" from a message's payload, or what is wrong with it.
std::string DescribePayload(const std::string& payload) {
  events::v1::Event wire;
  if (!wire.ParseFromString(payload)) return "(not an event)";
  auto event = events::FromWire(wire);
  if (!event.ok()) return "(" + event.status().message + ")";
  return std::string(events::NameOf(event->kind)) + " subject " +
         std::to_string(event->subject_id) + " actor " + std::to_string(event->actor_id);
}

std::string Time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  char out[32];
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace

int RunJobStatus(const AppConfig& config) {
  OpenedBus opened = Open(config);
  const auto groups = opened.bus->Groups();
  std::cout << "bus: " << opened.bus->Describe() << "\n";
  if (groups.empty()) {
    std::cout << "no consumer groups yet (they appear when the services start)\n";
    return 0;
  }
  std::printf("%-32s %10s %8s %8s %7s  %s\n", "GROUP", "LAG", "PENDING", "MEMBERS", "DEAD",
              "POSITION");
  for (const bus::GroupStatus& g : groups) {
    std::printf("%-32s %10s %8lld %8d %7lld  %s\n", g.group.c_str(),
                g.lag < 0 ? "?" : std::to_string(g.lag).c_str(), static_cast<long long>(g.pending),
                g.consumers, static_cast<long long>(g.dead_letters), g.position.c_str());
  }
  return 0;
}

int RunDeadLetterList(const AppConfig& config, const std::string& group, int limit) {
  OpenedBus opened = Open(config);
  std::vector<std::string> groups;
  if (!group.empty()) {
    groups.push_back(group);
  } else {
    for (const bus::GroupStatus& g : opened.bus->Groups()) groups.push_back(g.group);
  }
  std::size_t shown = 0;
  for (const std::string& name : groups) {
    for (const bus::DeadLetter& dead : opened.bus->DeadLetters(name, limit)) {
      ++shown;
      std::cout << dead.dead_letter_id << "  group " << dead.group << "  "
                << DescribePayload(dead.message.payload) << "  event " << dead.message.id
                << "\n    parked " << Time(dead.parked_at_ms) << " after " << dead.attempts
                << " attempts: " << dead.error << "\n";
    }
  }
  if (shown == 0) std::cout << "no dead letters\n";
  return 0;
}

int RunDeadLetterReplay(const AppConfig& config, const std::string& group,
                        const std::vector<std::string>& ids) {
  OpenedBus opened = Open(config);
  const int replayed = opened.bus->Replay(group, ids);
  std::cout << "handed " << replayed << " dead letter" << (replayed == 1 ? "" : "s")
            << " back to group " << group << "\n";
  if (!ids.empty() && replayed < static_cast<int>(ids.size())) {
    std::cerr << "reel: " << ids.size() - static_cast<std::size_t>(replayed)
              << " of the ids named no dead letter of " << group << "\n";
    return 1;
  }
  return 0;
}

}  // namespace reel::app
