#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kit/bus/bus.hpp"
#include "kit/redis/redis_client.hpp"

namespace reel::bus {

struct RedisStreamOptions {
  /// Every key starts with <prefix>bus: (see RedisStreamBus for the layout).
  std::string prefix = "reel:";
  /// Streams <prefix>bus:p0 .. p<partitions-1>; a key's partition is PartitionOf(key).
  int partitions = 4;
  /// XADD MAXLEN ~ per partition: Redis trims older entries past about this many.
  std::int64_t max_len = 1000000;
  /// How long a member holds a partition without renewing it: what a crashed member costs
  /// its group before another takes its partitions over.
  std::chrono::milliseconds lease{5000};
  /// The wait between reads that found nothing.
  std::chrono::milliseconds poll{50};
};

/// The bus on Redis Streams (Redis 6.2+ for XAUTOCLAIM; 7 for the lag in Groups()).
///
/// Keys (P = <prefix>bus:):
/// - P p<N>: partition N's stream; entries carry the fields id, key, payload.
/// - P retry:<group>: dead letters the group's Replay handed back; read like a partition.
/// - P dlq:<group>: the group's dead letters (id, key, payload, attempts, error,
///   parked_at_ms, stream).
/// - P lease:<group>:<N|retry>: the member holding that partition for the group.
/// - P members:<group>: a sorted set of the group's members, scored by when their heartbeat
///   runs out (a member is live until then).
///
/// Per-key order inside a group: each partition (and the retry stream) is read by one member
/// of the group at a time, the one holding its lease; members share the partitions out,
/// each taking at most ceil((partitions + 1) / live members). A member taking a partition
/// over first claims and handles what the previous holder left unacknowledged, in order.
/// Delivery is at least once: a member that loses its lease in the middle of a handler (a
/// handler slower than the lease) may see its last entry handled again by the next holder.
///
/// Thread-safe. Publish, Groups, DeadLetters and Replay throw StatusError kUnavailable
/// "BUS_UNAVAILABLE" when Redis cannot be reached; a subscription rides out an outage by
/// itself (it logs, waits and carries on when Redis is back). The bus and the client must
/// outlive every subscription.
class RedisStreamBus final : public Bus {
 public:
  RedisStreamBus(redis::RedisClient& client, RedisStreamOptions options);
  ~RedisStreamBus() override;

  void Publish(std::span<const Message> messages) override;
  std::unique_ptr<Subscription> Subscribe(const SubscribeOptions& options,
                                          Handler handler) override;
  std::vector<GroupStatus> Groups() override;
  std::vector<DeadLetter> DeadLetters(std::string_view group, int limit) override;
  int Replay(std::string_view group, std::span<const std::string> ids) override;
  std::string Describe() const override;

  /// The partition a key's messages go to: FNV-1a (32 bits) of the key's bytes, modulo
  /// `partitions`; the same in every process and build.
  static int PartitionOf(std::string_view key, int partitions);

 private:
  class Member;

  redis::RedisClient& client_;
  const RedisStreamOptions options_;
};

}  // namespace reel::bus
