#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "kit/bus/bus.hpp"

namespace reel::bus {

/// The bus of `reel all`: Publish hands each message to every group's handler on the
/// publishing thread (through Dispatch: retries, then the group's dead letters, kept in
/// memory), so a change's consumers have run when Publish returns. A group has one member
/// (one process). Durability comes from the outbox in front of it: a message is acknowledged
/// to the outbox only after Publish returns, so a crash replays it at the next start.
/// Thread-safe; Publish calls are serialised, so every group sees one order.
class InProcessBus final : public Bus {
 public:
  InProcessBus() = default;
  ~InProcessBus() override;

  void Publish(std::span<const Message> messages) override;
  std::unique_ptr<Subscription> Subscribe(const SubscribeOptions& options,
                                          Handler handler) override;
  std::vector<GroupStatus> Groups() override;
  std::vector<DeadLetter> DeadLetters(std::string_view group, int limit) override;
  int Replay(std::string_view group, std::span<const std::string> ids) override;
  std::string Describe() const override { return "in-process"; }

 private:
  class Member;
  struct Group {
    std::shared_ptr<Member> member;  // null once unsubscribed
    std::uint64_t handled = 0;       // the last sequence number handled or parked
    std::vector<DeadLetter> dead;
  };
  void Unsubscribe(const std::string& group);
  // Runs `delivery` through the group's handler; parks it on failure. `sequence` is its
  // place in the publish order (0 for a replayed dead letter). Called with publish_mu_.
  void Deliver(const std::string& group, Member& member, const Delivery& delivery,
               std::uint64_t sequence);

  std::mutex publish_mu_;  // one Publish or Replay at a time
  mutable std::mutex mu_;  // guards groups_ and next_dead_
  std::map<std::string, Group, std::less<>> groups_;
  std::uint64_t sequence_ = 0;  // guarded by publish_mu_
  std::uint64_t next_dead_ = 0;
};

}  // namespace reel::bus
