#pragma once

#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "kit/db/migrations.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/events/event_bus.hpp"
#include "kit/events/outbox.hpp"

namespace reel::events::testing {

/// An outbox on a test's database, what it holds, and a commit hook for the domain under
/// test: for tests that check which events a write recorded. Committed() hands the rows
/// recorded since the last call to the sink given to ForwardTo (as the relay would hand
/// them to the bus), so subscribers in a test hear what the domain committed.
class OutboxRecorder final : public CommitHook {
 public:
  OutboxRecorder(db::Database& db, const Clock& clock) : db_(db), outbox_(db, clock) {
    if (Status s = db::ApplyMigrations(db, "outbox", OutboxMigrations()); !s.ok()) {
      throw std::runtime_error(s.message);
    }
  }

  /// What the store under test records into.
  Outbox& outbox() { return outbox_; }

  /// Where Committed() hands new rows (none until called).
  void ForwardTo(EventSink& sink) { sink_ = &sink; }

  void Committed() const override {
    if (!sink_) return;
    std::lock_guard lock(mu_);
    for (const auto& [seq, event] : Rows(forwarded_)) {
      sink_->Publish(event);
      forwarded_ = seq;
    }
  }

  /// Forgets what was recorded so far.
  void Clear() {
    db_.Write([](db::Connection& conn) { conn.Prepare("DELETE FROM outbox").Run(); });
  }

  /// The recorded events, in commit order.
  std::vector<Event> Events() const {
    std::vector<Event> out;
    for (auto& [seq, event] : Rows(0)) out.push_back(std::move(event));
    return out;
  }

 private:
  std::vector<std::pair<std::int64_t, Event>> Rows(std::int64_t after) const {
    return db_.Read([&](db::Connection& conn) {
      std::vector<std::pair<std::int64_t, Event>> out;
      auto rows = conn.Prepare(
          "SELECT seq, event_id, kind, subject_id, actor_id, at_ms FROM outbox WHERE seq > ? "
          "ORDER BY seq");
      rows.BindAll(after);
      while (rows.Step()) {
        Event event =
            MakeEvent(static_cast<EventKind>(rows.Int(2)), rows.Int(3), rows.Int(4), rows.Int(5));
        event.id = rows.Text(1);
        out.emplace_back(rows.Int(0), std::move(event));
      }
      return out;
    });
  }

  db::Database& db_;
  Outbox outbox_;
  EventSink* sink_ = nullptr;
  mutable std::mutex mu_;
  mutable std::int64_t forwarded_ = 0;  // guarded by mu_
};

}  // namespace reel::events::testing
