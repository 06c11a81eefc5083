#pragma once

#include <chrono>
#include <climits>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "kit/bus/bus.hpp"
#include "kit/events/outbox.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::events {

struct OutboxRelayOptions {
  /// This process, as the lease names it ("host:pid").
  std::string holder;
  /// How often the background pass looks for rows (what a write that no Committed() call
  /// published waits at most, plus the bus's own delay).
  std::chrono::milliseconds poll{100};
  /// How long a relay's hold on the database lasts unless renewed: a relay that died is
  /// replaced after this long.
  std::chrono::milliseconds lease{3000};
  /// Rows read and published at once.
  int batch = 256;
};

/// Publishes one database's outbox to the bus, in commit order, and deletes what the bus
/// holds. One relay per database at a time: the processes sharing a database (replicas of a
/// service) take a lease in `outbox_relay`; the others wait, ready to take over. A pass runs
/// on every Outbox::Committed() (on the writing thread) and every `poll` on the relay's own
/// thread, which also deletes published rows and retries after failures. A crash between
/// the bus taking a message and its row's deletion publishes it again: delivery is at least
/// once, and consumers are idempotent. Thread-safe.
class OutboxRelay {
 public:
  OutboxRelay(Outbox& outbox, bus::Bus& bus, OutboxRelayOptions options);
  /// Stops the background pass (if started); rows not published stay for the next start.
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  /// Publishes what earlier runs left (a crash between a commit and its publication), then
  /// starts the background pass and makes Outbox::Committed() publish.
  void Start();

  /// Publishes what is pending, if this process holds the lease; with `up_to`, only rows
  /// up to that seq. Returns how many it published. Throws db::Error or StatusError (the
  /// bus) when it cannot.
  int PublishPending(std::int64_t up_to = INT64_MAX);

  /// Whether this process held the lease at its last pass.
  bool leading() const;

 private:
  bool HoldLease(std::int64_t now_ms);
  void DeletePublished();
  // The background pass: publishes rows seen by the pass before (a writer publishes its own
  // rows itself, after invalidating its caches; the pass takes those a writer did not).
  void Pass();
  std::int64_t MaxSeq() const;
  void Run(std::stop_token stop);

  Outbox& outbox_;
  bus::Bus& bus_;
  const OutboxRelayOptions options_;
  mutable std::mutex mu_;             // one pass at a time
  std::set<std::int64_t> published_;  // seqs the bus holds whose rows are not deleted yet
  std::int64_t lease_until_ms_ = 0;   // our lease, as last written; 0 when following
  std::int64_t next_try_ms_ = 0;      // when a follower asks for the lease again
  std::int64_t settled_ = 0;          // the highest seq the previous background pass saw
  metrics::ScrapeHook pending_;       // reel_outbox_pending, counted at each scrape
  std::jthread thread_;
};

}  // namespace reel::events
