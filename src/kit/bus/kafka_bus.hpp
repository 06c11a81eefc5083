#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "kit/bus/bus.hpp"

namespace reel::bus {

// What the bus and its subscriptions (which may outlive it) share: the options, the
// producer, the groups of this process. Defined in kafka_bus.cpp.
class KafkaCore;

struct KafkaOptions {
  std::string bootstrap_servers;      ///< "127.0.0.1:9092,..."
  std::string topic = "reel.events";  ///< keyed by Message::key: per-key order = partition order
  std::string dead_letter_topic = "reel.events.dlq";
  /// + group: the topic a group's replayed dead letters go to (each member subscribes to it).
  std::string retry_topic_prefix = "reel.events.retry.";
  /// How long Publish (and parking a dead letter) waits for the broker's acknowledgement;
  /// also librdkafka's message.timeout.ms, and the bound on reading the dead-letter topic.
  std::chrono::milliseconds delivery_timeout{10000};
  /// Further librdkafka settings for every client the bus makes (security, test timeouts).
  std::map<std::string, std::string> extra;
};

/// The bus on Kafka through librdkafka.
/// - Publish: one idempotent producer (acks=all); key = Message::key, the message id in the
///   header "id". Returns when every delivery report succeeded; otherwise (broker down past
///   delivery_timeout, a rejected record) throws StatusError kUnavailable BUS_UNAVAILABLE.
/// - Subscribe: a consumer in group.id = group, subscribed to `topic` and to
///   retry_topic_prefix + group, on its own thread; no auto commit: offsets are committed
///   synchronously after the messages were handled (or parked): after
///   SubscribeOptions::batch messages, whenever the consumer is idle, and on every
///   partition revocation, so a rebalance neither loses nor re-applies handled ones
///   (cooperative-sticky assignment: partitions are given up while the group is stable).
///   The retry topic must exist (or the brokers auto-create topics) when a member starts.
///   A message that fails every attempt goes to `dead_letter_topic` (key = group, headers
///   group, id, key, attempts, error, parked_at_ms) before its offset is committed.
/// - DeadLetters / Replay read the dead-letter topic from the beginning; Replay produces the
///   original message to the group's retry topic, then a marker record (key = group, header
///   "replayed" = dead_letter_id) that removes the dead letter from later listings.
///   dead_letter_id and Delivery::position are "partition:offset".
/// - Groups: this process's groups, those named in the dead-letter topic and, where the
///   broker lists groups, every group with committed offsets on `topic`. position lists
///   "partition:offset" of the last acknowledged message per partition of `topic`; lag is
///   high watermark - committed offset summed over `topic` and the retry topic (the whole
///   partition where the group committed nothing); consumers counts this process's
///   members only; pending is not known (0).
/// Thread-safe. Configuration errors throw std::invalid_argument.
class KafkaBus final : public Bus {
 public:
  explicit KafkaBus(KafkaOptions options);
  ~KafkaBus() override;

  void Publish(std::span<const Message> messages) override;
  std::unique_ptr<Subscription> Subscribe(const SubscribeOptions& options,
                                          Handler handler) override;
  std::vector<GroupStatus> Groups() override;
  std::vector<DeadLetter> DeadLetters(std::string_view group, int limit) override;
  int Replay(std::string_view group, std::span<const std::string> ids) override;
  std::string Describe() const override;

 private:
  class Member;
  std::shared_ptr<KafkaCore> core_;
};

}  // namespace reel::bus
