#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The event bus between processes (issue 20): one interface, three drivers.
// - InProcessBus (kit/bus/in_process_bus.*): `reel all`; delivery on the publishing thread.
// - RedisStreamBus (kit/bus/redis_stream_bus.*): Redis Streams with consumer groups; the
//   local cluster's default.
// - KafkaBus (kit/bus/kafka_bus.*): librdkafka, as the brief has it.
// The outbox relay (kit/events/outbox_relay.*) publishes; modules consume through
// Subscribe. Delivery is at least once and in order per key; handlers are idempotent.
// Retries, backoff and dead-lettering are the same for every driver (kit/bus/dispatch.hpp).
namespace reel::bus {

/// One message: an event in its wire form (events.v1.Event bytes).
struct Message {
  /// Unique per event (the outbox gives it): what dead letters and logs name.
  std::string id;
  /// The aggregate ("video:42"): messages with one key are delivered in publish order.
  std::string key;
  std::string payload;

  bool operator==(const Message&) const = default;
};

/// A message as a consumer gets it.
struct Delivery {
  Message message;
  /// Where it sits in the bus, for status and logs: a stream entry id ("1700000000000-0"),
  /// "partition:offset" on Kafka, a sequence number in process.
  std::string position;
};

/// Handles one delivery; throws to report a failure (the dispatcher retries, then parks the
/// message in the group's dead-letter queue). Runs on the subscription's thread.
using Handler = std::function<void(const Delivery&)>;

/// How a failing message is retried before it is parked.
struct RetryPolicy {
  int max_attempts = 5;  ///< attempts in all, the first included; then dead-lettered
  std::chrono::milliseconds initial_backoff{50};
  std::chrono::milliseconds max_backoff{2000};
};

struct SubscribeOptions {
  /// The consumer group: every group gets every message once; inside a group each message
  /// goes to one member. Names are [A-Za-z0-9._-]{1,64} ("favorite", "search.127.0.0.1:9082").
  std::string group;
  /// This member's name inside the group, unique per process ("host:pid").
  std::string consumer;
  /// Where a group that does not exist yet starts: at the end (only what is published from
  /// now on) or at the beginning of what the bus still holds.
  enum class Start { kEnd, kBeginning } start = Start::kEnd;
  RetryPolicy retry;
  /// At most this many messages fetched at once.
  int batch = 64;
};

/// A running consumer: its thread fetches, dispatches and acknowledges until destroyed.
/// The destructor stops it (a delivery in progress finishes first; unacknowledged
/// messages are redelivered to the group later).
class Subscription {
 public:
  virtual ~Subscription() = default;
};

/// Where a group stands, for `reel job status`.
struct GroupStatus {
  std::string group;
  /// Position of the last message the group acknowledged (driver-specific spelling;
  /// empty before the first).
  std::string position;
  /// Messages published but not yet acknowledged by the group (-1 when unknown).
  std::int64_t lag = 0;
  /// Messages delivered to a member and not acknowledged yet.
  std::int64_t pending = 0;
  /// Members known to the bus.
  int consumers = 0;
  /// Messages parked in the group's dead-letter queue.
  std::int64_t dead_letters = 0;
};

/// A message that failed every attempt, parked for its group.
struct DeadLetter {
  /// Its id in the dead-letter queue (what Replay takes).
  std::string dead_letter_id;
  std::string group;
  Message message;
  int attempts = 0;
  std::string error;  ///< what the last attempt threw
  std::int64_t parked_at_ms = 0;
};

/// Thread-safe. Errors (the bus unreachable) are thrown as StatusError with kUnavailable
/// ("BUS_UNAVAILABLE").
class Bus {
 public:
  virtual ~Bus() = default;

  /// Appends the messages in order. Returns once the bus holds all of them (Redis: XADD
  /// answered; Kafka: every delivery report succeeded). On a throw some may have been
  /// appended: the caller publishes them again (at least once).
  virtual void Publish(std::span<const Message> messages) = 0;

  /// Starts a member of `options.group` on its own thread calling `handler`.
  virtual std::unique_ptr<Subscription> Subscribe(const SubscribeOptions& options,
                                                  Handler handler) = 0;

  /// Every group the bus knows.
  virtual std::vector<GroupStatus> Groups() = 0;

  /// The group's dead letters, oldest first, at most `limit`.
  virtual std::vector<DeadLetter> DeadLetters(std::string_view group, int limit) = 0;

  /// Hands dead letters back to their group (all of the group's when `ids` is empty): the
  /// group's members deliver each once more, in its turn, with fresh attempts; one that
  /// fails again is parked again. Returns how many were handed back.
  virtual int Replay(std::string_view group, std::span<const std::string> ids) = 0;

  /// For logs and status: "redis-streams redis://127.0.0.1:6379 reel:bus", "in-process".
  virtual std::string Describe() const = 0;
};

}  // namespace reel::bus
