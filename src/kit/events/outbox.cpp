#include "kit/events/outbox.hpp"

#include <cstdio>
#include <random>

#include "kit/log/log.hpp"
#include "kit/trace/trace.hpp"

namespace reel::events {
namespace {

// Rows are deleted once the bus holds them, so the table stays as small as the relay's
// backlog. `seq` orders them: the relay publishes in commit order (per database), which is
// what keeps an aggregate's events in order. The columns are the event's, readable with
// any SQL client; the relay encodes them (events.v1.Event) only when it publishes.
constexpr db::Migration kMigrations[] = {
    {1, "the event outbox", R"sql(
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id     TEXT    NOT NULL,
  kind         INTEGER NOT NULL,
  subject_id   INTEGER NOT NULL,
  actor_id     INTEGER NOT NULL,
  at_ms        INTEGER NOT NULL,
  trace_parent TEXT    NOT NULL DEFAULT ''
);
-- Which process relays this database's outbox: one at a time, so the order holds with
-- several replicas of a service writing to one database.
CREATE TABLE outbox_relay (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  holder        TEXT    NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
INSERT INTO outbox_relay (id, holder, expires_at_ms) VALUES (1, '', 0);
)sql",
     R"sql(
CREATE TABLE outbox (
  seq          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id     CHAR(32) NOT NULL,
  kind         INT NOT NULL,
  subject_id   BIGINT NOT NULL,
  actor_id     BIGINT NOT NULL,
  at_ms        BIGINT NOT NULL,
  trace_parent VARCHAR(64) NOT NULL DEFAULT ''
) ENGINE=InnoDB;
CREATE TABLE outbox_relay (
  id            INT NOT NULL PRIMARY KEY,
  holder        VARCHAR(128) NOT NULL,
  expires_at_ms BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO outbox_relay (id, holder, expires_at_ms) VALUES (1, '', 0);
)sql"},
};

}  // namespace

std::span<const db::Migration> OutboxMigrations() {
  return kMigrations;
}

void Outbox::Append(db::Connection& conn, Event event) const {
  if (event.id.empty()) event.id = NewEventId();
  // The write's trace goes with its event, so its consumers' work joins that trace.
  if (event.trace_parent.empty()) {
    if (const std::optional<trace::SpanContext> span = trace::Current()) {
      event.trace_parent = trace::FormatTraceparent(*span);
    }
  }
  if (event.at_ms == 0) {
    event.at_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
            .count();
  }
  conn.Prepare(
          "INSERT INTO outbox (event_id, kind, subject_id, actor_id, at_ms, trace_parent) "
          "VALUES (?, ?, ?, ?, ?, ?)")
      .BindAll(event.id, static_cast<std::int64_t>(event.kind), event.subject_id, event.actor_id,
               event.at_ms, event.trace_parent)
      .Run();
}

void Outbox::Committed() const {
  if (!flush_) return;
  try {
    flush_();
  } catch (const std::exception& e) {
    // The rows stay; the relay's own pass publishes them.
    log::Warn("outbox: publishing after a commit failed; the relay retries", {{"error", e.what()}});
  }
}

std::string NewEventId() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(engine()),
                static_cast<unsigned long long>(engine()));
  return std::string(out, 32);
}

std::string AggregateOf(const Event& event) {
  switch (event.kind) {
    case EventKind::kUserRegistered:
    case EventKind::kUserUpdated:
      return "user:" + std::to_string(event.subject_id);
    default:
      return "video:" + std::to_string(event.subject_id);
  }
}

}  // namespace reel::events
