#include "kit/bus/kafka_bus.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <utility>

#include "kit/bus/dispatch.hpp"
#include "kit/log/log.hpp"
#include "kit/status/status.hpp"

namespace reel::bus {
namespace {

using Clock = std::chrono::steady_clock;

struct KafkaDestroy {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct ConfDestroy {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct ListDestroy {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct MessageDestroy {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDestroy>;
using KafkaConf = std::unique_ptr<rd_kafka_conf_t, ConfDestroy>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDestroy>;
using KafkaMessage = std::unique_ptr<rd_kafka_message_t, MessageDestroy>;

using Headers = std::vector<std::pair<std::string, std::string>>;

// What the bus writes: a message, a dead letter or a replay marker (no value).
struct Record {
  std::string topic;
  std::string key;
  std::optional<std::string> value;
  Headers headers;
};

[[noreturn]] void ThrowUnavailable(const std::string& what) {
  throw StatusError(Unavailable("BUS_UNAVAILABLE", "the event bus is unavailable"),
                    "kafka bus: " + what);
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int TimeoutMs(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
      timeout.count(), 1, std::numeric_limits<int>::max()));
}

// Sleeps for `delay` unless a stop is requested first.
void SleepUnlessStopped(std::chrono::milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, delay, [] { return false; });
}

// librdkafka's own log lines (from its threads) go to reel's log.
void LogFromKafka(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  const log::Fields fields = {{"client", rd_kafka_name(rk)}, {"facility", facility}};
  if (level <= 3) {
    log::Error(line, fields);
  } else if (level == 4) {
    log::Warn(line, fields);
  } else if (level <= 6) {
    log::Info(line, fields);
  } else {
    log::Debug(line, fields);
  }
}

void Set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
      RD_KAFKA_CONF_OK) {
    throw std::invalid_argument("kafka bus: setting " + name + ": " + error);
  }
}

// A client configuration: the bus's servers, then `settings`, then the options' extras
// (which may override: tests shorten timeouts that way).
KafkaConf NewConf(const KafkaOptions& options,
                  std::initializer_list<std::pair<std::string, std::string>> settings) {
  KafkaConf conf(rd_kafka_conf_new());
  Set(conf.get(), "bootstrap.servers", options.bootstrap_servers);
  Set(conf.get(), "log.connection.close", "false");
  for (const auto& [name, value] : settings) Set(conf.get(), name, value);
  for (const auto& [name, value] : options.extra) Set(conf.get(), name, value);
  rd_kafka_conf_set_log_cb(conf.get(), LogFromKafka);
  return conf;
}

KafkaHandle NewClient(rd_kafka_type_t type, KafkaConf conf) {
  char error[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), error, sizeof error);
  if (!rk) throw std::invalid_argument(std::string("kafka bus: creating a client: ") + error);
  conf.release();  // rd_kafka_new took it
  return KafkaHandle(rk);
}

// A consumer that never joins its group: reads assigned partitions, or asks for the
// group's committed offsets.
KafkaHandle NewReader(const KafkaOptions& options, const std::string& group) {
  return NewClient(RD_KAFKA_CONSUMER, NewConf(options, {{"group.id", group},
                                                        {"enable.auto.commit", "false"},
                                                        {"enable.auto.offset.store", "false"},
                                                        {"enable.partition.eof", "false"}}));
}

std::optional<std::string> HeaderOf(const rd_kafka_message_t& message, const char* name) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  return value ? std::string(static_cast<const char*>(value), size) : std::string();
}

std::string KeyOf(const rd_kafka_message_t& message) {
  return message.key ? std::string(static_cast<const char*>(message.key), message.key_len)
                     : std::string();
}

std::string PayloadOf(const rd_kafka_message_t& message) {
  return message.payload ? std::string(static_cast<const char*>(message.payload), message.len)
                         : std::string();
}

std::string PositionOf(std::int32_t partition, std::int64_t offset) {
  return std::to_string(partition) + ":" + std::to_string(offset);
}

std::int64_t NumberOr(const std::optional<std::string>& text, std::int64_t fallback) {
  if (!text) return fallback;
  try {
    return std::stoll(*text);
  } catch (const std::exception&) {
    return fallback;
  }
}

// The partitions of `topic` (0 when the cluster does not know it).
int PartitionCount(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &metadata, TimeoutMs(timeout));
  rd_kafka_topic_destroy(handle);
  if (err) ThrowUnavailable("metadata of " + topic + ": " + rd_kafka_err2str(err));
  int partitions = 0;
  if (metadata->topic_cnt == 1 && !metadata->topics[0].err) {
    partitions = metadata->topics[0].partition_cnt;
  }
  rd_kafka_metadata_destroy(metadata);
  return partitions;
}

struct Watermarks {
  std::int64_t low = 0;
  std::int64_t high = 0;
};

Watermarks WatermarksOf(rd_kafka_t* rk, const std::string& topic, std::int32_t partition,
                        std::chrono::milliseconds timeout) {
  Watermarks marks;
  const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      rk, topic.c_str(), partition, &marks.low, &marks.high, TimeoutMs(timeout));
  if (err) ThrowUnavailable("watermarks of " + topic + ": " + rd_kafka_err2str(err));
  return marks;
}

// ---------------------------------------------------------------------------------------
// The producer: one idempotent librdkafka producer whose delivery reports are served by a
// thread of its own, so Publish calls from many threads each wait only for their records.

// The delivery reports one ProduceAll waits for. Shared with the reports: a call that gave
// up (timeout) leaves, and the late reports still find it.
struct Acks {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t pending = 0;
  std::string error;  // the first failure
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  std::unique_ptr<std::shared_ptr<Acks>> owner(
      static_cast<std::shared_ptr<Acks>*>(message->_private));
  Acks& acks = **owner;
  std::lock_guard lock(acks.mu);
  if (message->err && acks.error.empty()) acks.error = rd_kafka_err2str(message->err);
  --acks.pending;
  acks.cv.notify_all();
}

class KafkaProducer {
 public:
  explicit KafkaProducer(const KafkaOptions& options)
      : timeout_(options.delivery_timeout),
        rk_(NewClient(RD_KAFKA_PRODUCER, ProducerConf(options))),
        reports_([this](std::stop_token stop) {
          while (!stop.stop_requested()) rd_kafka_poll(rk_.get(), 100);
        }) {}

  ~KafkaProducer() {
    reports_.request_stop();
    reports_.join();
    // Give what is in flight a moment, then fail the rest so every report (and the Acks
    // it owns) is freed before the handle goes.
    rd_kafka_flush(rk_.get(), 2000);
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(rk_.get(), 1000);
  }

  /// The producer's client, connected once something was published: for cluster-wide
  /// queries that a fresh client would first wait to connect for.
  rd_kafka_t* handle() const { return rk_.get(); }

  /// Produces the records in order and waits for every delivery report; throws
  /// StatusError kUnavailable when one fails or the delivery timeout passes first.
  void ProduceAll(std::span<const Record> records) {
    if (records.empty()) return;
    const auto deadline = Clock::now() + timeout_;
    auto acks = std::make_shared<Acks>();
    for (const Record& record : records) {
      if (std::string error = Produce(record, acks); !error.empty()) {
        // The rest would land out of order after a gap; the caller publishes all again.
        ThrowUnavailable("producing to " + record.topic + ": " + error);
      }
    }
    std::unique_lock lock(acks->mu);
    const bool reported = acks->cv.wait_until(lock, deadline, [&] { return acks->pending == 0; });
    if (!acks->error.empty()) {
      ReportFatal();
      ThrowUnavailable("delivery failed: " + acks->error);
    }
    if (!reported) ThrowUnavailable("no delivery report within the delivery timeout");
  }

 private:
  static KafkaConf ProducerConf(const KafkaOptions& options) {
    KafkaConf conf = NewConf(
        options, {{"enable.idempotence", "true"},  // implies acks=all
                  {"message.timeout.ms", std::to_string(TimeoutMs(options.delivery_timeout))},
                  {"linger.ms", "2"}});
    rd_kafka_conf_set_dr_msg_cb(conf.get(), OnDelivery);
    return conf;
  }

  // An idempotent producer can fail for good (fenced, sequence gaps): every later Publish
  // fails too, and only a new bus (a restart) recovers. Said loudly, once per failure.
  void ReportFatal() {
    char reason[512];
    if (rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason)) {
      log::Error("kafka bus: the producer failed for good; restart the process",
                 {{"error", rd_kafka_err2str(err)}, {"reason", reason}});
    }
  }

  // Hands one record to librdkafka; an error text when it refused it.
  std::string Produce(const Record& record, const std::shared_ptr<Acks>& acks) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
    for (const auto& [name, value] : record.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
    auto* opaque = new std::shared_ptr<Acks>(acks);
    rd_kafka_vu_t vus[6] = {};
    vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    vus[0].u.cstr = record.topic.c_str();
    vus[1].vtype = RD_KAFKA_VTYPE_KEY;
    vus[1].u.mem = {const_cast<char*>(record.key.data()), record.key.size()};
    vus[2].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[2].u.mem = {record.value ? const_cast<char*>(record.value->data()) : nullptr,
                    record.value ? record.value->size() : 0};
    vus[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[3].u.i = RD_KAFKA_MSG_F_COPY;
    vus[4].vtype = RD_KAFKA_VTYPE_HEADERS;
    vus[4].u.headers = headers;  // owned by librdkafka once produced
    vus[5].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[5].u.ptr = opaque;
    {
      std::lock_guard lock(acks->mu);
      ++acks->pending;
    }
    rd_kafka_error_t* error = rd_kafka_produceva(rk_.get(), vus, std::size(vus));
    if (!error) return {};
    std::string what = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    rd_kafka_headers_destroy(headers);
    delete opaque;
    std::lock_guard lock(acks->mu);
    --acks->pending;
    return what;
  }

  const std::chrono::milliseconds timeout_;
  KafkaHandle rk_;
  std::jthread reports_;  // last: stopped before the handle goes
};

// The consumer groups the cluster lists; nullopt where the brokers cannot list them (the
// mock cluster). `rk` is a connected client: a new one pays for its first connection.
std::optional<std::vector<std::string>> ListedClusterGroups(rd_kafka_t* rk,
                                                            std::chrono::milliseconds timeout) {
  const rd_kafka_group_list* list = nullptr;
  if (rd_kafka_resp_err_t err = rd_kafka_list_groups(rk, nullptr, &list, TimeoutMs(timeout))) {
    log::Debug("kafka bus: the cluster does not list groups", {{"error", rd_kafka_err2str(err)}});
    if (err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE) return std::nullopt;
    return std::vector<std::string>{};
  }
  std::vector<std::string> groups;
  for (int i = 0; i < list->group_cnt; ++i) {
    const char* name = list->groups[i].group;
    if (ValidName(name) && std::string_view(list->groups[i].protocol_type) == "consumer") {
      groups.emplace_back(name);
    }
  }
  rd_kafka_group_list_destroy(list);
  return groups;
}

}  // namespace

// ---------------------------------------------------------------------------------------

class KafkaCore {
 public:
  explicit KafkaCore(KafkaOptions options) : options_(std::move(options)), producer_(options_) {}

  const KafkaOptions& options() const { return options_; }
  KafkaProducer& producer() { return producer_; }

  std::string RetryTopic(std::string_view group) const {
    return options_.retry_topic_prefix + std::string(group);
  }

  void Joined(const std::string& group) {
    std::lock_guard lock(mu_);
    ++members_[group];
  }
  void Left(const std::string& group) {
    std::lock_guard lock(mu_);
    --members_[group];
  }
  /// The groups this process subscribed (still or before), with their live members.
  std::map<std::string, int> Members() const {
    std::lock_guard lock(mu_);
    return members_;
  }

  /// The groups the cluster lists (none where it cannot: asked once).
  std::vector<std::string> ListedGroups() {
    if (!lists_groups_) return {};
    auto groups = ListedClusterGroups(producer_.handle(), options_.delivery_timeout);
    if (!groups) lists_groups_ = false;
    return groups.value_or(std::vector<std::string>{});
  }

  /// Replays are read-modify-write on the dead-letter topic: one at a time here.
  std::mutex& replay_mu() { return replay_mu_; }

 private:
  const KafkaOptions options_;
  KafkaProducer producer_;
  mutable std::mutex mu_;
  std::map<std::string, int> members_;
  std::mutex replay_mu_;
  std::atomic<bool> lists_groups_ = true;
};

namespace {

// ---------------------------------------------------------------------------------------
// The dead-letter topic: parked messages and the markers of those replayed, folded.

std::optional<DeadLetter> DeadLetterOf(const rd_kafka_message_t& record) {
  std::optional<std::string> group = HeaderOf(record, "group");
  if (!group) return std::nullopt;
  return DeadLetter{.dead_letter_id = PositionOf(record.partition, record.offset),
                    .group = *group,
                    .message = Message{HeaderOf(record, "id").value_or(""),
                                       HeaderOf(record, "key").value_or(""), PayloadOf(record)},
                    .attempts = static_cast<int>(NumberOr(HeaderOf(record, "attempts"), 0)),
                    .error = HeaderOf(record, "error").value_or(""),
                    .parked_at_ms = NumberOr(HeaderOf(record, "parked_at_ms"), 0)};
}

// Every group's dead letters not replayed yet, in the topic's order (a group's all sit in
// one partition: they are keyed by the group).
std::vector<DeadLetter> ReadDeadLetters(const KafkaOptions& options) {
  const auto deadline = Clock::now() + options.delivery_timeout;
  const std::string& topic = options.dead_letter_topic;
  KafkaHandle rk = NewReader(options, "reel.bus.dead-letter-reader");
  // The last offset of each partition to read up to: what the topic held when we started.
  std::map<std::int32_t, std::int64_t> ends;
  PartitionList assignment(rd_kafka_topic_partition_list_new(1));
  for (int p = 0; p < PartitionCount(rk.get(), topic, options.delivery_timeout); ++p) {
    Watermarks marks = WatermarksOf(rk.get(), topic, p, options.delivery_timeout);
    if (marks.high <= marks.low) continue;
    ends[p] = marks.high - 1;
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  if (ends.empty()) return {};
  if (rd_kafka_resp_err_t err = rd_kafka_assign(rk.get(), assignment.get())) {
    ThrowUnavailable(std::string("reading the dead letters: ") + rd_kafka_err2str(err));
  }
  std::vector<DeadLetter> parked;
  std::set<std::string> replayed;
  while (!ends.empty()) {
    if (Clock::now() > deadline) ThrowUnavailable("reading the dead letters timed out");
    KafkaMessage record(rd_kafka_consumer_poll(rk.get(), 100));
    if (!record || record->err) continue;
    if (std::optional<std::string> id = HeaderOf(*record, "replayed")) {
      replayed.insert(*id);
    } else if (std::optional<DeadLetter> dead = DeadLetterOf(*record)) {
      parked.push_back(std::move(*dead));
    }
    if (auto end = ends.find(record->partition);
        end != ends.end() && record->offset >= end->second) {
      ends.erase(end);
    }
  }
  std::erase_if(parked, [&](const DeadLetter& d) { return replayed.contains(d.dead_letter_id); });
  return parked;
}

std::vector<DeadLetter> DeadLettersOf(const KafkaOptions& options, std::string_view group) {
  std::vector<DeadLetter> all = ReadDeadLetters(options);
  std::erase_if(all, [&](const DeadLetter& d) { return d.group != group; });
  return all;
}

// ---------------------------------------------------------------------------------------
// Group status from the committed offsets and the watermarks.

// Where `group` stands on `topic` and the group's retry topic: position lists
// "partition:offset" of the last acknowledged message per partition of `topic`; lag sums
// high watermark - committed (the whole partition where nothing is committed yet).
GroupStatus StatusOf(const KafkaCore& core, const std::string& group) {
  const KafkaOptions& options = core.options();
  KafkaHandle rk = NewReader(options, group);
  PartitionList partitions(rd_kafka_topic_partition_list_new(8));
  for (const std::string& topic : {options.topic, core.RetryTopic(group)}) {
    const int count = PartitionCount(rk.get(), topic, options.delivery_timeout);
    for (int p = 0; p < count; ++p) {
      rd_kafka_topic_partition_list_add(partitions.get(), topic.c_str(), p);
    }
  }
  if (rd_kafka_resp_err_t err =
          rd_kafka_committed(rk.get(), partitions.get(), TimeoutMs(options.delivery_timeout))) {
    ThrowUnavailable("committed offsets of " + group + ": " + rd_kafka_err2str(err));
  }
  GroupStatus status{.group = group};
  for (int i = 0; i < partitions->cnt; ++i) {
    const rd_kafka_topic_partition_t& part = partitions->elems[i];
    const Watermarks marks =
        WatermarksOf(rk.get(), part.topic, part.partition, options.delivery_timeout);
    const bool committed = part.offset >= 0;
    status.lag += marks.high - (committed ? part.offset : marks.low);
    if (committed && part.topic == options.topic) {
      if (!status.position.empty()) status.position += ",";
      status.position += PositionOf(part.partition, part.offset - 1);
    }
  }
  return status;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// A member: a consumer of the group on its own thread.

class KafkaBus::Member final : public Subscription {
 public:
  Member(std::shared_ptr<KafkaCore> core, SubscribeOptions options, Handler handler)
      : core_(std::move(core)),
        options_(std::move(options)),
        handler_(std::move(handler)),
        rk_(NewClient(RD_KAFKA_CONSUMER, ConsumerConf())) {
    rd_kafka_poll_set_consumer(rk_.get());
    PartitionList topics(rd_kafka_topic_partition_list_new(2));
    for (const std::string& topic : {core_->options().topic, core_->RetryTopic(options_.group)}) {
      rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    }
    if (rd_kafka_resp_err_t err = rd_kafka_subscribe(rk_.get(), topics.get())) {
      throw std::invalid_argument(std::string("kafka bus: subscribing: ") + rd_kafka_err2str(err));
    }
    core_->Joined(options_.group);
    thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
  }

  ~Member() override {
    thread_.request_stop();
    thread_.join();
    core_->Left(options_.group);
  }

 private:
  KafkaConf ConsumerConf() {
    const bool beginning = options_.start == SubscribeOptions::Start::kBeginning;
    KafkaConf conf = NewConf(core_->options(),
                             {{"group.id", options_.group},
                              {"client.id", options_.consumer.empty() ? "reel" : options_.consumer},
                              // A member gives partitions up after the rebalance, with
                              // the group stable, so its commit is accepted. An eager
                              // rebalance revokes as it starts; Kafka accepts that
                              // commit, librdkafka's mock cluster does not.
                              {"partition.assignment.strategy", "cooperative-sticky"},
                              {"enable.auto.commit", "false"},
                              {"enable.auto.offset.store", "false"},
                              {"auto.offset.reset", beginning ? "earliest" : "latest"}});
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_rebalance_cb(conf.get(), OnRebalance);
    return conf;
  }

  void Run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      KafkaMessage message(rd_kafka_consumer_poll(rk_.get(), 100));
      if (!message) {
        CommitBetweenRebalances();  // idle: what the last burst handled
        continue;
      }
      if (message->err) {
        ReportError(*message);
        continue;
      }
      if (!Process(*message, stop)) break;
      if (++uncommitted_ >= std::max(1, options_.batch)) CommitBetweenRebalances();
    }
    CommitHandled();
    // Leaves the group; the revocation it triggers finds nothing more to commit.
    rd_kafka_consumer_close(rk_.get());
  }

  // Runs one message through Dispatch; false when the member is stopping.
  bool Process(const rd_kafka_message_t& message, std::stop_token stop) {
    const Delivery delivery{
        Message{HeaderOf(message, "id").value_or(""), KeyOf(message), PayloadOf(message)},
        PositionOf(message.partition, message.offset)};
    const DispatchResult result = Dispatch(delivery, handler_, options_, stop);
    if (result.outcome == DispatchResult::Outcome::kStopped) return false;
    if (result.outcome == DispatchResult::Outcome::kFailed && !Park(delivery, result)) {
      // Not parked, so not acknowledged either: deliver it again after a pause.
      Rewind(message);
      SleepUnlessStopped(std::chrono::milliseconds(500), stop);
      return true;
    }
    handled_[{rd_kafka_topic_name(message.rkt), message.partition}] = message.offset + 1;
    return true;
  }

  // Writes the failed delivery to the dead-letter topic; false when the bus refused it.
  bool Park(const Delivery& delivery, const DispatchResult& result) {
    const Record dead{.topic = core_->options().dead_letter_topic,
                      .key = options_.group,
                      .value = delivery.message.payload,
                      .headers = {{"group", options_.group},
                                  {"id", delivery.message.id},
                                  {"key", delivery.message.key},
                                  {"attempts", std::to_string(result.attempts)},
                                  {"error", result.error},
                                  {"parked_at_ms", std::to_string(NowMs())}}};
    try {
      core_->producer().ProduceAll({&dead, 1});
      return true;
    } catch (const StatusError& e) {
      log::Error(
          "kafka bus: could not park a dead letter; it will be delivered again",
          {{"group", options_.group}, {"message_id", delivery.message.id}, {"error", e.what()}});
      return false;
    }
  }

  void Rewind(const rd_kafka_message_t& message) {
    PartitionList at(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(at.get(), rd_kafka_topic_name(message.rkt), message.partition)
        ->offset = message.offset;
    if (rd_kafka_error_t* error = rd_kafka_seek_partitions(rk_.get(), at.get(), 5000)) {
      log::Warn("kafka bus: seek failed", {{"error", rd_kafka_error_string(error)}});
      rd_kafka_error_destroy(error);
    }
  }

  // The periodic commit, held back once the group said it is rebalancing: a commit the
  // coordinator receives after our JoinGroup carries a stale generation, and librdkafka
  // then counts the whole assignment as lost (its messages are delivered again). The
  // rebalance callback commits instead.
  void CommitBetweenRebalances() {
    if (!rebalancing_) CommitHandled();
  }

  // Commits, synchronously, the next offset after each partition's last handled message.
  void CommitHandled() {
    uncommitted_ = 0;
    if (handled_.empty()) return;
    PartitionList offsets(rd_kafka_topic_partition_list_new(static_cast<int>(handled_.size())));
    for (const auto& [where, next] : handled_) {
      rd_kafka_topic_partition_list_add(offsets.get(), where.first.c_str(), where.second)->offset =
          next;
    }
    if (rd_kafka_resp_err_t err = rd_kafka_commit(rk_.get(), offsets.get(), 0)) {
      rebalancing_ = err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS;
      log::Warn("kafka bus: commit failed; the messages may be delivered again",
                {{"group", options_.group}, {"error", rd_kafka_err2str(err)}});
      return;  // kept: the next commit carries them
    }
    handled_.clear();
  }

  // Called on this member's thread (inside poll or close), between two deliveries.
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto& self = *static_cast<Member*>(opaque);
    self.rebalancing_ = false;
    const bool cooperative = std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self.CommitHandled();  // what was held back while the group rebalanced
      if (cooperative) {
        if (rd_kafka_error_t* error = rd_kafka_incremental_assign(rk, partitions)) {
          rd_kafka_error_destroy(error);
        }
      } else {
        rd_kafka_assign(rk, partitions);
      }
      return;
    }
    // Revoked: what was handled is committed before another member gets the partitions,
    // so it starts after it. Tried even when librdkafka calls the assignment lost: that
    // verdict can come from one stale commit while the member is still in the group; if
    // it is really out, the coordinator refuses the commit and the messages go to the
    // next owner again (at least once).
    self.CommitHandled();
    self.handled_.clear();
    if (cooperative) {
      if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk, partitions)) {
        rd_kafka_error_destroy(error);
      }
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }

  void ReportError(const rd_kafka_message_t& message) {
    if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    log::Warn("kafka bus: consumer error",
              {{"group", options_.group}, {"error", rd_kafka_message_errstr(&message)}});
  }

  const std::shared_ptr<KafkaCore> core_;
  const SubscribeOptions options_;
  const Handler handler_;
  KafkaHandle rk_;
  // (topic, partition) → the offset to commit: the last handled + 1. This thread only.
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> handled_;
  int uncommitted_ = 0;
  bool rebalancing_ = false;  // a commit met REBALANCE_IN_PROGRESS; until the next callback
  std::jthread thread_;       // last: stopped first
};

// ---------------------------------------------------------------------------------------

KafkaBus::KafkaBus(KafkaOptions options) : core_(std::make_shared<KafkaCore>(std::move(options))) {}

KafkaBus::~KafkaBus() = default;

void KafkaBus::Publish(std::span<const Message> messages) {
  std::vector<Record> records;
  records.reserve(messages.size());
  for (const Message& message : messages) {
    records.push_back(Record{.topic = core_->options().topic,
                             .key = message.key,
                             .value = message.payload,
                             .headers = {{"id", message.id}}});
  }
  core_->producer().ProduceAll(records);
}

std::unique_ptr<Subscription> KafkaBus::Subscribe(const SubscribeOptions& options,
                                                  Handler handler) {
  if (!ValidName(options.group)) {
    throw std::invalid_argument("bus group name is invalid: \"" + options.group + "\"");
  }
  return std::make_unique<Member>(core_, options, std::move(handler));
}

std::vector<GroupStatus> KafkaBus::Groups() {
  const std::map<std::string, int> members = core_->Members();
  const std::vector<DeadLetter> dead = ReadDeadLetters(core_->options());
  std::set<std::string> names;
  for (const auto& [group, count] : members) names.insert(group);
  for (const DeadLetter& d : dead) names.insert(d.group);
  const std::vector<std::string> listed = core_->ListedGroups();

  std::vector<GroupStatus> out;
  for (const std::string& group : listed) {
    // A listed group is ours when it has committed offsets on the bus's topic.
    if (names.contains(group)) continue;
    if (GroupStatus status = StatusOf(*core_, group); !status.position.empty()) {
      out.push_back(std::move(status));
    }
  }
  for (const std::string& group : names) {
    GroupStatus status = StatusOf(*core_, group);
    if (auto it = members.find(group); it != members.end()) status.consumers = it->second;
    status.dead_letters = std::ranges::count(dead, group, &DeadLetter::group);
    out.push_back(std::move(status));
  }
  std::ranges::sort(out, {}, &GroupStatus::group);
  return out;
}

std::vector<DeadLetter> KafkaBus::DeadLetters(std::string_view group, int limit) {
  std::vector<DeadLetter> dead = DeadLettersOf(core_->options(), group);
  if (static_cast<int>(dead.size()) > std::max(0, limit)) dead.resize(std::max(0, limit));
  return dead;
}

int KafkaBus::Replay(std::string_view group, std::span<const std::string> ids) {
  std::lock_guard replaying(core_->replay_mu());
  std::vector<DeadLetter> chosen = DeadLettersOf(core_->options(), group);
  if (!ids.empty()) {
    std::erase_if(chosen, [&](const DeadLetter& d) {
      return std::ranges::find(ids, d.dead_letter_id) == ids.end();
    });
  }
  // The messages first, then the markers: a crash between the two replays some twice
  // (at least once), never none.
  std::vector<Record> messages;
  std::vector<Record> markers;
  for (const DeadLetter& d : chosen) {
    messages.push_back(Record{.topic = core_->RetryTopic(group),
                              .key = d.message.key,
                              .value = d.message.payload,
                              .headers = {{"id", d.message.id}}});
    markers.push_back(
        Record{.topic = core_->options().dead_letter_topic,
               .key = std::string(group),
               .value = std::nullopt,
               .headers = {{"group", std::string(group)}, {"replayed", d.dead_letter_id}}});
  }
  core_->producer().ProduceAll(messages);
  core_->producer().ProduceAll(markers);
  return static_cast<int>(chosen.size());
}

std::string KafkaBus::Describe() const {
  return "kafka " + core_->options().bootstrap_servers + " " + core_->options().topic;
}

}  // namespace reel::bus
