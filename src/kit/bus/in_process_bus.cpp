#include "kit/bus/in_process_bus.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <stop_token>

#include "kit/bus/dispatch.hpp"

namespace reel::bus {

class InProcessBus::Member final : public Subscription {
 public:
  Member(InProcessBus& bus, SubscribeOptions options, Handler handler)
      : bus_(bus), options_(std::move(options)), handler_(std::move(handler)) {}
  ~Member() override { bus_.Unsubscribe(options_.group); }

  const SubscribeOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  std::stop_token stop() const { return stop_.get_token(); }

 private:
  InProcessBus& bus_;
  const SubscribeOptions options_;
  const Handler handler_;
  std::stop_source stop_;
};

namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

InProcessBus::~InProcessBus() = default;

void InProcessBus::Publish(std::span<const Message> messages) {
  std::lock_guard publishing(publish_mu_);
  for (const Message& message : messages) {
    Delivery delivery{message, std::to_string(++sequence_)};
    // The members as they are now; Subscribe and unsubscribe may run meanwhile.
    std::vector<std::pair<std::string, Member*>> members;
    {
      std::lock_guard lock(mu_);
      for (auto& [name, group] : groups_) {
        if (group.member) members.emplace_back(name, group.member.get());
      }
    }
    for (auto& [name, member] : members) Deliver(name, *member, delivery, sequence_);
  }
}

void InProcessBus::Deliver(const std::string& group, Member& member, const Delivery& delivery,
                           std::uint64_t sequence) {
  DispatchResult result = Dispatch(delivery, member.handler(), member.options(), member.stop());
  std::lock_guard lock(mu_);
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  if (sequence) it->second.handled = sequence;
  if (result.outcome == DispatchResult::Outcome::kFailed) {
    it->second.dead.push_back(DeadLetter{.dead_letter_id = std::to_string(++next_dead_),
                                         .group = group,
                                         .message = delivery.message,
                                         .attempts = result.attempts,
                                         .error = result.error,
                                         .parked_at_ms = NowMs()});
  }
}

std::unique_ptr<Subscription> InProcessBus::Subscribe(const SubscribeOptions& options,
                                                      Handler handler) {
  if (!ValidName(options.group)) {
    throw std::invalid_argument("bus group name is invalid: \"" + options.group + "\"");
  }
  // Not a shared_ptr owned by the bus: the caller owns the member; the bus keeps a
  // non-owning alias, cleared by the member's destructor before it goes.
  auto member = std::make_unique<Member>(*this, options, std::move(handler));
  std::lock_guard publishing(publish_mu_);
  std::lock_guard lock(mu_);
  Group& group = groups_[options.group];
  if (group.member) {
    throw std::logic_error("bus group \"" + options.group + "\" already has a member");
  }
  group.member = std::shared_ptr<Member>(std::shared_ptr<Member>{}, member.get());
  if (options.start == SubscribeOptions::Start::kEnd) group.handled = sequence_;
  return member;
}

void InProcessBus::Unsubscribe(const std::string& group) {
  std::lock_guard publishing(publish_mu_);
  std::lock_guard lock(mu_);
  if (auto it = groups_.find(group); it != groups_.end()) it->second.member.reset();
}

std::vector<GroupStatus> InProcessBus::Groups() {
  std::lock_guard lock(mu_);
  std::vector<GroupStatus> out;
  for (const auto& [name, group] : groups_) {
    out.push_back(GroupStatus{.group = name,
                              .position = group.handled ? std::to_string(group.handled) : "",
                              .lag = 0,
                              .pending = 0,
                              .consumers = group.member ? 1 : 0,
                              .dead_letters = static_cast<std::int64_t>(group.dead.size())});
  }
  return out;
}

std::vector<DeadLetter> InProcessBus::DeadLetters(std::string_view group, int limit) {
  std::lock_guard lock(mu_);
  std::vector<DeadLetter> out;
  auto it = groups_.find(group);
  if (it == groups_.end()) return out;
  for (const DeadLetter& dead : it->second.dead) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(dead);
  }
  return out;
}

int InProcessBus::Replay(std::string_view group, std::span<const std::string> ids) {
  std::lock_guard publishing(publish_mu_);
  std::vector<DeadLetter> chosen;
  Member* member = nullptr;
  {
    std::lock_guard lock(mu_);
    auto it = groups_.find(group);
    if (it == groups_.end() || !it->second.member) return 0;
    member = it->second.member.get();
    auto& dead = it->second.dead;
    for (auto d = dead.begin(); d != dead.end();) {
      const bool wanted = ids.empty() || std::ranges::find(ids, d->dead_letter_id) != ids.end();
      if (wanted) {
        chosen.push_back(std::move(*d));
        d = dead.erase(d);
      } else {
        ++d;
      }
    }
  }
  const std::string name(group);
  for (const DeadLetter& dead : chosen) {
    Deliver(name, *member, Delivery{dead.message, "dead-letter " + dead.dead_letter_id}, 0);
  }
  return static_cast<int>(chosen.size());
}

}  // namespace reel::bus
