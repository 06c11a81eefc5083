#include "kit/bus/in_process_bus.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace reel::bus {
namespace {

Message M(std::string id) {
  return Message{id, "video:1", "payload " + id};
}

SubscribeOptions Group(std::string name, int attempts = 2) {
  return SubscribeOptions{
      .group = std::move(name),
      .consumer = "test",
      .retry = {.max_attempts = attempts, .initial_backoff = std::chrono::milliseconds(1)}};
}

TEST(InProcessBusTest, EveryGroupGetsEveryMessageInOrderBeforePublishReturns) {
  InProcessBus bus;
  std::vector<std::string> a, b;
  auto sa = bus.Subscribe(Group("a"), [&](const Delivery& d) { a.push_back(d.message.id); });
  auto sb = bus.Subscribe(Group("b"), [&](const Delivery& d) { b.push_back(d.message.id); });
  const Message batch[] = {M("1"), M("2"), M("3")};
  bus.Publish(batch);
  EXPECT_EQ(a, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(b, a);
  auto groups = bus.Groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].position, "3");
  EXPECT_EQ(groups[0].consumers, 1);
}

TEST(InProcessBusTest, AFailingMessageIsParkedAndTheOthersFlowOnThenReplayAppliesItOnce) {
  InProcessBus bus;
  bool broken = true;
  std::vector<std::string> applied;
  auto sub = bus.Subscribe(Group("search", 3), [&](const Delivery& d) {
    if (broken && d.message.id == "2") throw std::runtime_error("index refused it");
    applied.push_back(d.message.id);
  });
  const Message batch[] = {M("1"), M("2"), M("3")};
  bus.Publish(batch);
  EXPECT_EQ(applied, (std::vector<std::string>{"1", "3"}));
  auto dead = bus.DeadLetters("search", 10);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].message, M("2"));
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(dead[0].error, "index refused it");
  EXPECT_EQ(bus.Groups()[0].dead_letters, 1);

  broken = false;
  EXPECT_EQ(bus.Replay("search", {}), 1);
  EXPECT_EQ(applied, (std::vector<std::string>{"1", "3", "2"}));
  EXPECT_TRUE(bus.DeadLetters("search", 10).empty());
  EXPECT_EQ(bus.Replay("search", {}), 0);  // nothing left: applied once
}

TEST(InProcessBusTest, AnUnsubscribedGroupGetsNothingAndNamesAreChecked) {
  InProcessBus bus;
  int calls = 0;
  {
    auto sub = bus.Subscribe(Group("a"), [&](const Delivery&) { ++calls; });
    EXPECT_THROW(bus.Subscribe(Group("a"), [](const Delivery&) {}), std::logic_error);
  }
  const Message batch[] = {M("1")};
  bus.Publish(batch);
  EXPECT_EQ(calls, 0);
  EXPECT_THROW(bus.Subscribe(Group("bad name"), [](const Delivery&) {}), std::invalid_argument);
}

}  // namespace
}  // namespace reel::bus
