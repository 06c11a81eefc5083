#include "kit/events/event_bus.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace reel::events {
namespace {

TEST(InProcessEventBus, DeliversEveryEventToEverySubscriberInOrder) {
  InProcessEventBus bus;
  std::vector<std::string> seen;
  bus.Subscribe("a", [&](const Event& e) { seen.push_back("a" + std::to_string(e.subject_id)); });
  bus.Subscribe("b", [&](const Event& e) { seen.push_back("b" + std::to_string(e.subject_id)); });
  bus.Publish(MakeEvent(EventKind::kVideoPublished, 7, 1, 100));
  bus.Publish(MakeEvent(EventKind::kVideoDeleted, 8, 1, 101));
  EXPECT_EQ(seen, (std::vector<std::string>{"a7", "b7", "a8", "b8"}));
}

TEST(InProcessEventBus, AThrowingSubscriberDoesNotStopTheOthers) {
  InProcessEventBus bus;
  int delivered = 0;
  bus.Subscribe("broken", [](const Event&) { throw std::runtime_error("index is locked"); });
  bus.Subscribe("counter", [&](const Event& e) {
    EXPECT_EQ(e.kind, EventKind::kUserUpdated);
    ++delivered;
  });
  EXPECT_NO_THROW(bus.Publish(MakeEvent(EventKind::kUserUpdated, 3, 3, 5)));
  EXPECT_EQ(delivered, 1);
}

TEST(MakeEvent, FillsEveryField) {
  const Event e = MakeEvent(EventKind::kCommentCreated, 11, 22, 33);
  EXPECT_EQ(e.kind, EventKind::kCommentCreated);
  EXPECT_EQ(e.subject_id, 11);
  EXPECT_EQ(e.actor_id, 22);
  EXPECT_EQ(e.at_ms, 33);
}

}  // namespace
}  // namespace reel::events
