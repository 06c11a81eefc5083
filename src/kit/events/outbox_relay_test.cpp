// The outbox and its relay on both engines: an event exists exactly when its change does,
// reaches the bus in commit order, at least once, and a crash between the commit and the
// publication loses nothing (the next relay publishes it).
#include "kit/events/outbox_relay.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "events/v1/events.pb.h"
#include "kit/bus/in_process_bus.hpp"
#include "kit/db/testing/test_database.hpp"
#include "kit/events/event_wire.hpp"
#include "kit/events/outbox.hpp"

namespace reel::events {
namespace {

using db::Engine;
using namespace std::chrono_literals;

// A table the "service" under test writes, beside the outbox.
constexpr db::Migration kThings[] = {
    {1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
     "CREATE TABLE things (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL) "
     "ENGINE=InnoDB;"},
};

// What a bus holds: every message, decoded, in the order it came.
class RecordingBus final : public bus::Bus {
 public:
  void Publish(std::span<const bus::Message> messages) override {
    std::lock_guard lock(mu_);
    if (down) throw std::runtime_error("bus down");
    for (const bus::Message& m : messages) {
      v1::Event wire;
      ASSERT_TRUE(wire.ParseFromString(m.payload));
      auto event = FromWire(wire);
      ASSERT_TRUE(event.ok());
      EXPECT_EQ(m.id, event->id);
      EXPECT_EQ(m.key, AggregateOf(*event));
      events_.push_back(*event);
    }
  }
  std::unique_ptr<bus::Subscription> Subscribe(const bus::SubscribeOptions&,
                                               bus::Handler) override {
    return nullptr;
  }
  std::vector<bus::GroupStatus> Groups() override { return {}; }
  std::vector<bus::DeadLetter> DeadLetters(std::string_view, int) override { return {}; }
  int Replay(std::string_view, std::span<const std::string>) override { return 0; }
  std::string Describe() const override { return "recording"; }

  std::vector<Event> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::atomic<bool> down = false;

 private:
  std::mutex mu_;
  std::vector<Event> events_;
};

class OutboxRelayTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    dir_ = db::testing::FreshTestDir("reel_outbox");
    database_ = std::make_unique<db::testing::TestDatabase>(
        GetParam(), dir_.string(),
        std::vector<std::pair<std::string_view, std::span<const db::Migration>>>{
            {"outbox", OutboxMigrations()}, {"things", kThings}});
    outbox_ = std::make_unique<Outbox>(db(), clock_);
  }
  void TearDown() override {
    outbox_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }
  db::Database& db() { return database_->db(); }

  // A write that records its event, as a store does; `fail` rolls it back.
  void Write(std::int64_t id, bool fail = false) {
    try {
      db().Write([&](db::Connection& conn) {
        conn.Prepare("INSERT INTO things (id, name) VALUES (?, ?)").BindAll(id, "x").Run();
        outbox_->Append(conn, MakeEvent(EventKind::kVideoLiked, id, 1, 0));
        if (fail) throw std::runtime_error("refused");
      });
    } catch (const std::runtime_error&) {
      if (!fail) throw;
    }
  }
  std::int64_t Rows() { return db::testing::QueryInt(db(), "SELECT COUNT(*) FROM outbox"); }

  static std::vector<std::int64_t> Subjects(const std::vector<Event>& events) {
    std::vector<std::int64_t> out;
    for (const Event& e : events) out.push_back(e.subject_id);
    return out;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_P(OutboxRelayTest, AnEventIsRecordedExactlyWhenItsChangeCommits) {
  Write(1);
  Write(2, /*fail=*/true);
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(db::testing::QueryInt(db(), "SELECT COUNT(*) FROM things"), 1);
  auto id = db().Read([](db::Connection& conn) {
    auto row = conn.Prepare("SELECT event_id, at_ms FROM outbox");
    row.Step();
    return std::make_pair(row.Text(0), row.Int(1));
  });
  EXPECT_EQ(id.first.size(), 32u);
  EXPECT_EQ(id.second,
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
                .count());
}

TEST_P(OutboxRelayTest, CommittedPublishesAtOnceInOrderAndThePassDeletesWhatTheBusHolds) {
  RecordingBus bus;
  OutboxRelay relay(*outbox_, bus, {.holder = "a", .poll = 20ms});
  relay.Start();
  for (std::int64_t id = 1; id <= 5; ++id) {
    Write(id);
    outbox_->Committed();
    EXPECT_EQ(bus.events().size(), static_cast<std::size_t>(id)) << "published before returning";
  }
  EXPECT_EQ(Subjects(bus.events()), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (Rows() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(Rows(), 0);
  EXPECT_EQ(bus.events().size(), 5u) << "nothing published twice while running";
}

TEST_P(OutboxRelayTest, WhatACrashLeftUnpublishedIsPublishedByTheNextRelay) {
  // "A crash between the commit and the publication": rows committed, no relay ran.
  Write(1);
  Write(2);
  RecordingBus bus;
  OutboxRelay relay(*outbox_, bus, {.holder = "restarted", .poll = 20ms});
  relay.Start();  // publishes what is there before anything else
  EXPECT_EQ(Subjects(bus.events()), (std::vector<std::int64_t>{1, 2}));
}

TEST_P(OutboxRelayTest, WhileTheBusIsDownEventsWaitAndThenGoOutInOrder) {
  RecordingBus bus;
  bus.down = true;
  OutboxRelay relay(*outbox_, bus, {.holder = "a", .poll = 20ms});
  relay.Start();
  Write(1);
  outbox_->Committed();  // never throws: the row waits
  Write(2);
  outbox_->Committed();
  EXPECT_TRUE(bus.events().empty());
  EXPECT_EQ(Rows(), 2);
  bus.down = false;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (bus.events().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(Subjects(bus.events()), (std::vector<std::int64_t>{1, 2}));
}

TEST_P(OutboxRelayTest, OneRelayPerDatabaseLeadsAndAnotherTakesOverWhenItsLeaseLapses) {
  RecordingBus bus;
  auto first = std::make_unique<OutboxRelay>(*outbox_, bus,
                                             OutboxRelayOptions{.holder = "first", .lease = 300ms});
  Outbox second_outbox(db(), clock_);
  OutboxRelay second(second_outbox, bus, {.holder = "second", .lease = 300ms});
  Write(1);
  EXPECT_EQ(first->PublishPending(), 1);
  EXPECT_TRUE(first->leading());
  Write(2);
  EXPECT_EQ(second.PublishPending(), 0) << "the first holds the lease";
  EXPECT_FALSE(second.leading());
  first.reset();  // dies without deleting what it published
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(second.PublishPending(), 2) << "at least once: row 1 again, then row 2";
  EXPECT_EQ(Subjects(bus.events()), (std::vector<std::int64_t>{1, 1, 2}));
}

TEST_P(OutboxRelayTest, ThroughTheInProcessBusSubscribersHaveRunWhenCommittedReturns) {
  bus::InProcessBus bus;
  std::vector<std::int64_t> heard;
  auto sub = bus.Subscribe({.group = "search", .consumer = "t"}, [&](const bus::Delivery& d) {
    v1::Event wire;
    ASSERT_TRUE(wire.ParseFromString(d.message.payload));
    heard.push_back(wire.subject_id());
  });
  OutboxRelay relay(*outbox_, bus, {.holder = "all", .poll = 20ms});
  relay.Start();
  Write(7);
  outbox_->Committed();
  EXPECT_EQ(heard, (std::vector<std::int64_t>{7}));
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxRelayTest, db::testing::AllEngines(),
                         db::testing::EngineName);

TEST(EventIdsTest, AreFreshHex) {
  const std::string a = NewEventId();
  const std::string b = NewEventId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(AggregateOf(MakeEvent(EventKind::kUserUpdated, 5, 5, 0)), "user:5");
  EXPECT_EQ(AggregateOf(MakeEvent(EventKind::kCommentCreated, 9, 5, 0)), "video:9");
}

}  // namespace
}  // namespace reel::events
