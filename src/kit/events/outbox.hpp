#pragma once

#include <functional>
#include <mutex>
#include <span>
#include <string>

#include "kit/clock/clock.hpp"
#include "kit/db/database.hpp"
#include "kit/db/migrations.hpp"
#include "kit/events/commit_hook.hpp"
#include "kit/events/event.hpp"

namespace reel::events {

/// The outbox table's migrations (ledger component "outbox"), both dialects. Every database
/// a publishing service writes to has one outbox table, shared by the services that write
/// there (`reel all`: one).
std::span<const db::Migration> OutboxMigrations();

/// Where a store records the events of a write, in the write's own transaction, so that an
/// event exists exactly when its change does: a crash after the commit leaves the event in
/// the table for the relay (OutboxRelay) to publish at the next pass, and a write that
/// rolls back leaves none. Thread-safe.
class Outbox final : public CommitHook {
 public:
  /// `clock` stamps events that come without a time.
  Outbox(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  db::Database& database() const { return db_; }

  /// Inside `db.Write`: inserts `event` on the write's connection. Gives it a fresh id when
  /// it has none, and the clock's time when its at_ms is 0. Throws db::Error as any statement does
  /// (the write then rolls back).
  void Append(db::Connection& conn, Event event) const;

  /// After the write that appended committed (and the caches in front of the store were
  /// invalidated, so consumers read the new state): asks the relay to publish now, on this
  /// thread (with the in-process bus the subscribers have run when this returns). Never
  /// throws; what it cannot publish now stays in the table for the relay's next pass.
  void Committed() const override;

  /// The relay's hook for Committed (set once, before the first write; empty = nothing).
  void OnCommitted(std::function<void()> flush) { flush_ = std::move(flush); }

 private:
  db::Database& db_;
  const Clock& clock_;
  std::function<void()> flush_;
};

/// What a store that may have no outbox (unit tests of its SQL) calls: Append when `outbox`
/// is set, nothing otherwise.
inline void Record(const Outbox* outbox, db::Connection& conn, Event event) {
  if (outbox) outbox->Append(conn, std::move(event));
}

/// A fresh event id: 32 lowercase hex digits (128 random bits).
std::string NewEventId();

/// The aggregate an event belongs to, its key on the bus ("video:42", "user:7"): events of
/// one aggregate are delivered in the order they were committed.
std::string AggregateOf(const Event& event);

}  // namespace reel::events
