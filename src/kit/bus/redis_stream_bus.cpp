#include "kit/bus/redis_stream_bus.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "kit/bus/dispatch.hpp"
#include "kit/log/log.hpp"

namespace reel::bus {
namespace {

using redis::RedisClient;
using redis::RedisError;
using redis::RedisReply;
using Clock = std::chrono::steady_clock;

// KEYS[1] a partition's stream. ARGV[1] max_len, then (id, key, payload) triples in publish
// order: one round trip per partition, and the partition sees them in that order.
constexpr std::string_view kPublishScript = R"(
for i = 2, #ARGV, 3 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
             'id', ARGV[i], 'key', ARGV[i + 1], 'payload', ARGV[i + 2])
end
return 1
)";

// The member's heartbeat and its leases in one step. KEYS[1] the group's members set,
// KEYS[2..] every lease key of the group. ARGV[1] the member, ARGV[2] lease ms, ARGV[3]
// heartbeat ms. Renews the leases it holds up to its share, gives back those past it (a
// member joined: they go to it), takes free ones up to its share. The server's clock scores
// the heartbeats, so members on hosts with skewed clocks agree on who is live. Returns the
// 0-based indexes of the leases held.
constexpr std::string_view kLeaseScript = R"(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local share = math.ceil((#KEYS - 1) / redis.call('ZCARD', KEYS[1]))
local held = {}
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    if #held < share then
      redis.call('PEXPIRE', KEYS[i], ARGV[2])
      held[#held + 1] = i - 2
    else
      redis.call('DEL', KEYS[i])
    end
  end
end
for i = 2, #KEYS do
  if #held >= share then break end
  if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then held[#held + 1] = i - 2 end
end
return held
)";

// Compare-and-renew one lease. KEYS[1] the lease, ARGV[1] the member, ARGV[2] lease ms.
constexpr std::string_view kRenewScript = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
)";

// A clean stop: compare-and-delete each lease, and the heartbeat. KEYS as kLeaseScript's.
constexpr std::string_view kReleaseScript = R"(
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
)";

// Parks an entry and acknowledges it at once, so it is never both parked and pending.
// KEYS[1] the dead letters, KEYS[2] the entry's stream. ARGV: group, entry id, message id,
// key, payload, attempts, error, parked_at_ms.
constexpr std::string_view kParkScript = R"(
redis.call('XADD', KEYS[1], '*', 'id', ARGV[3], 'key', ARGV[4], 'payload', ARGV[5],
           'attempts', ARGV[6], 'error', ARGV[7], 'parked_at_ms', ARGV[8], 'stream', KEYS[2])
return redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
)";

// Moves dead letters to the group's retry stream. KEYS[1] the dead letters, KEYS[2] the
// retry stream, ARGV the dead letter ids (none: all). Returns how many moved.
constexpr std::string_view kReplayScript = R"(
local moved = 0
local function move(entry)
  local f = {}
  for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
  redis.call('XADD', KEYS[2], '*', 'id', f['id'], 'key', f['key'], 'payload', f['payload'])
  redis.call('XDEL', KEYS[1], entry[1])
  moved = moved + 1
end
if #ARGV == 0 then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do move(entry) end
else
  for i = 1, #ARGV do
    local found = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
    if #found == 1 then move(found[1]) end
  end
end
return moved
)";

// The key layout (see the header).
struct Keys {
  std::string base;  // <prefix>bus:
  int partitions;

  std::string Partition(int n) const { return base + "p" + std::to_string(n); }
  std::string Retry(std::string_view group) const { return base + "retry:" + std::string(group); }
  std::string Dlq(std::string_view group) const { return base + "dlq:" + std::string(group); }
  std::string Members(std::string_view group) const {
    return base + "members:" + std::string(group);
  }
  // Unit n < partitions is partition n; unit `partitions` is the group's retry stream.
  std::string UnitStream(std::string_view group, int unit) const {
    return unit < partitions ? Partition(unit) : Retry(group);
  }
  std::string Lease(std::string_view group, int unit) const {
    return base + "lease:" + std::string(group) + ":" +
           (unit < partitions ? std::to_string(unit) : "retry");
  }
};

Keys KeysOf(const RedisStreamOptions& options) {
  return Keys{options.prefix + "bus:", options.partitions};
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sleeps for `delay` unless a stop is requested first.
void SleepUnlessStopped(std::chrono::milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, delay, [] { return false; });
}

[[noreturn]] void ThrowBusUnavailable(const RedisError& e) {
  const std::string what = std::string("bus: Redis unavailable: ") + e.what();
  throw StatusError(Unavailable("BUS_UNAVAILABLE", what), what);
}

// Runs `call`, turning Redis being out of reach into the bus's own error.
template <typename Call>
auto Guarded(Call call) {
  try {
    return call();
  } catch (const RedisError& e) {
    if (e.unavailable()) ThrowBusUnavailable(e);
    throw;
  }
}

// The value after `name` in a flat [name, value, ...] reply; null when absent.
const RedisReply* FieldOf(const RedisReply& flat, std::string_view name) {
  if (flat.type() != RedisReply::Type::kArray) return nullptr;
  const auto& e = flat.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    if (e[i].type() != RedisReply::Type::kArray && e[i].str() == name) return &e[i + 1];
  }
  return nullptr;
}

std::string StringField(const RedisReply& flat, std::string_view name) {
  const RedisReply* v = FieldOf(flat, name);
  return v && (v->type() == RedisReply::Type::kString || v->type() == RedisReply::Type::kStatus)
             ? v->str()
             : std::string();
}

std::int64_t IntegerField(const RedisReply& flat, std::string_view name, std::int64_t absent) {
  const RedisReply* v = FieldOf(flat, name);
  if (v == nullptr || v->is_nil()) return absent;
  if (v->type() == RedisReply::Type::kInteger) return v->integer();
  return std::stoll(v->str());
}

// A stream entry id: digits, "-", digits. Anything else would make XRANGE fail.
bool IsEntryId(std::string_view id) {
  const auto dash = id.find('-');
  auto digits = [](std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
  };
  return dash != std::string_view::npos && digits(id.substr(0, dash)) &&
         digits(id.substr(dash + 1));
}

}  // namespace

// One member of a group: its thread takes leases, reads the partitions it holds, dispatches
// and acknowledges, until the subscription goes.
class RedisStreamBus::Member final : public Subscription {
 public:
  Member(RedisClient& client, const RedisStreamOptions& options, SubscribeOptions subscribe,
         Handler handler);
  ~Member() override;
  // Creates the group's consumer groups now when it can (so Start::kEnd means "from this
  // call on"), then starts the thread.
  void Start();

 private:
  struct Unit {
    std::string stream;
    std::string lease;
    bool held = false;
    // While handling what the previous holder (or this member before a restart) left
    // pending: the last entry id done; empty once reading new entries (">").
    std::string pending_after;
    Clock::time_point renewed;
  };
  enum class Pass { kIdle, kBusy, kStopping };

  void Run(std::stop_token stop);
  void CreateGroups(bool from_start);
  void TakeLeases();
  void ClaimPending(Unit& unit);
  Pass ReadAndHandle(std::stop_token stop);
  // Handles a stream's entries in order; false when stopping.
  bool Handle(Unit& unit, const RedisReply& entries, std::stop_token stop, Pass& pass);
  bool StillHeld(Unit& unit);
  void Acknowledge(const Unit& unit, const std::string& entry_id);
  void Park(const Unit& unit, const std::string& entry_id, const Message& message,
            const DispatchResult& result);
  void LogOutage(const RedisError& e);
  void Release();
  std::vector<std::string> LeaseKeys() const;

  RedisClient& client_;
  const RedisStreamOptions options_;
  const Keys keys_;
  const SubscribeOptions subscribe_;
  const Handler handler_;
  std::vector<Unit> units_;  // partitions, then the retry stream; the thread's own
  bool groups_ready_ = false;
  bool in_outage_ = false;
  Clock::time_point leases_taken_{};  // the last TakeLeases
  Clock::time_point last_warn_{};
  int warns_suppressed_ = 0;
  std::jthread thread_;  // last: stopped and joined before the rest goes
};

RedisStreamBus::Member::Member(RedisClient& client, const RedisStreamOptions& options,
                               SubscribeOptions subscribe, Handler handler)
    : client_(client),
      options_(options),
      keys_(KeysOf(options)),
      subscribe_(std::move(subscribe)),
      handler_(std::move(handler)) {
  for (int unit = 0; unit <= options_.partitions; ++unit) {
    Unit& added = units_.emplace_back();
    added.stream = keys_.UnitStream(subscribe_.group, unit);
    added.lease = keys_.Lease(subscribe_.group, unit);
  }
}

RedisStreamBus::Member::~Member() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void RedisStreamBus::Member::Start() {
  try {
    CreateGroups(subscribe_.start == SubscribeOptions::Start::kBeginning);
    groups_ready_ = true;
  } catch (const RedisError& e) {
    if (!e.unavailable()) throw;
    LogOutage(e);  // the thread creates them once Redis is back
  }
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

void RedisStreamBus::Member::CreateGroups(bool from_start) {
  for (int unit = 0; unit <= options_.partitions; ++unit) {
    // The retry stream holds only what Replay handed back for this group: all of it is due.
    const bool beginning = from_start || unit == options_.partitions;
    try {
      client_.Command({"XGROUP", "CREATE", units_[unit].stream, subscribe_.group,
                       beginning ? "0" : "$", "MKSTREAM"});
    } catch (const RedisError& e) {
      if (e.error_code() != "BUSYGROUP") throw;
    }
  }
}

void RedisStreamBus::Member::Run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Pass pass = Pass::kIdle;
    try {
      if (!groups_ready_) {
        // Created late (Redis was down at Subscribe) or gone (a restart without
        // persistence emptied Redis): whatever the streams hold now was published after
        // what this group saw, so it starts at the beginning.
        CreateGroups(true);
        groups_ready_ = true;
      }
      // Often enough to renew (and to notice members coming and going), not on every poll.
      if (Clock::now() - leases_taken_ >= options_.lease / 4) TakeLeases();
      pass = ReadAndHandle(stop);
      if (in_outage_) log::Info("bus: Redis reachable again", {{"group", subscribe_.group}});
      in_outage_ = false;
    } catch (const RedisError& e) {
      if (e.error_code() == "NOGROUP") groups_ready_ = false;
      LogOutage(e);
      // Whatever this member held, it takes again (and claims what is pending) next time.
      for (Unit& unit : units_) unit.held = false;
      leases_taken_ = {};
      SleepUnlessStopped(std::max(options_.poll, std::chrono::milliseconds(200)), stop);
      continue;
    }
    if (pass == Pass::kStopping) break;
    if (pass == Pass::kIdle) SleepUnlessStopped(options_.poll, stop);
  }
  Release();
}

std::vector<std::string> RedisStreamBus::Member::LeaseKeys() const {
  std::vector<std::string> keys{keys_.Members(subscribe_.group)};
  for (const Unit& unit : units_) keys.push_back(unit.lease);
  return keys;
}

void RedisStreamBus::Member::TakeLeases() {
  const RedisReply reply =
      client_.EvalScript(kLeaseScript, LeaseKeys(),
                         {subscribe_.consumer, std::to_string(options_.lease.count()),
                          std::to_string(3 * options_.lease.count())});
  std::vector<bool> held(units_.size(), false);
  if (reply.type() == RedisReply::Type::kArray) {
    for (const RedisReply& index : reply.elements()) {
      const auto i = static_cast<std::size_t>(index.integer());
      if (i < held.size()) held[i] = true;
    }
  }
  const auto now = Clock::now();
  leases_taken_ = now;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    Unit& unit = units_[i];
    if (held[i] && !unit.held) ClaimPending(unit);
    unit.held = held[i];
    if (!held[i]) unit.pending_after.clear();
    unit.renewed = now;
  }
}

void RedisStreamBus::Member::ClaimPending(Unit& unit) {
  // We hold the lease, so nobody else reads this stream for the group: whatever is pending
  // is left over from an earlier holder and is ours to finish, however recently it was read.
  std::string cursor = "0-0";
  for (int round = 0; round < 100000; ++round) {
    const RedisReply reply =
        client_.Command({"XAUTOCLAIM", unit.stream, subscribe_.group, subscribe_.consumer, "0",
                         cursor, "COUNT", "1000", "JUSTID"});
    cursor = reply.elements().at(0).str();
    if (cursor == "0-0") break;
  }
  // Now all of it is pending for this member: read it from the start, in order.
  unit.pending_after = "0";
}

RedisStreamBus::Member::Pass RedisStreamBus::Member::ReadAndHandle(std::stop_token stop) {
  const std::string count = std::to_string(std::max(1, subscribe_.batch));
  Pass pass = Pass::kIdle;
  // What earlier holders left pending comes before anything new on the same stream.
  for (Unit& unit : units_) {
    if (!unit.held || unit.pending_after.empty()) continue;
    const RedisReply reply =
        client_.Command({"XREADGROUP", "GROUP", subscribe_.group, subscribe_.consumer, "COUNT",
                         count, "STREAMS", unit.stream, unit.pending_after});
    const RedisReply* entries = nullptr;
    if (reply.type() == RedisReply::Type::kArray && !reply.elements().empty()) {
      entries = &reply.elements()[0].elements().at(1);
    }
    if (entries == nullptr || entries->elements().empty()) {
      unit.pending_after.clear();
      continue;
    }
    if (!Handle(unit, *entries, stop, pass)) return Pass::kStopping;
  }
  // New entries of every stream held, in one round trip.
  std::vector<std::string> args{"XREADGROUP", "GROUP", subscribe_.group, subscribe_.consumer,
                                "COUNT",      count,   "STREAMS"};
  std::vector<Unit*> reading;
  for (Unit& unit : units_) {
    if (unit.held && unit.pending_after.empty()) reading.push_back(&unit);
  }
  if (reading.empty()) return pass;
  for (Unit* unit : reading) args.push_back(unit->stream);
  args.insert(args.end(), reading.size(), ">");
  const RedisReply reply = client_.Command(args);
  if (reply.type() != RedisReply::Type::kArray) return pass;
  for (const RedisReply& stream : reply.elements()) {
    const std::string& name = stream.elements().at(0).str();
    auto it = std::ranges::find_if(reading, [&](Unit* u) { return u->stream == name; });
    if (it == reading.end()) continue;
    if (!Handle(**it, stream.elements().at(1), stop, pass)) return Pass::kStopping;
  }
  return pass;
}

bool RedisStreamBus::Member::Handle(Unit& unit, const RedisReply& entries, std::stop_token stop,
                                    Pass& pass) {
  const bool pending = !unit.pending_after.empty();
  for (const RedisReply& entry : entries.elements()) {
    // Another member has the stream now: what is left of the batch stays pending for it
    // to claim, in order.
    if (!StillHeld(unit)) return true;
    pass = Pass::kBusy;
    const std::string& entry_id = entry.elements().at(0).str();
    const RedisReply& fields = entry.elements().at(1);
    if (fields.is_nil()) {  // trimmed (MAXLEN) while pending: nothing left to deliver
      Acknowledge(unit, entry_id);
    } else {
      const Delivery delivery{Message{StringField(fields, "id"), StringField(fields, "key"),
                                      StringField(fields, "payload")},
                              entry_id};
      const DispatchResult result = Dispatch(delivery, handler_, subscribe_, stop);
      if (result.outcome == DispatchResult::Outcome::kStopped) return false;
      if (result.outcome == DispatchResult::Outcome::kFailed) {
        Park(unit, entry_id, delivery.message, result);
      } else {
        Acknowledge(unit, entry_id);
      }
    }
    if (pending) unit.pending_after = entry_id;
  }
  return true;
}

bool RedisStreamBus::Member::StillHeld(Unit& unit) {
  if (!unit.held) return false;
  // Renewed often enough that a long batch does not outlive the lease.
  if (Clock::now() - unit.renewed < options_.lease / 3) return true;
  const RedisReply renewed = client_.EvalScript(
      kRenewScript, {unit.lease}, {subscribe_.consumer, std::to_string(options_.lease.count())});
  if (renewed.type() == RedisReply::Type::kInteger && renewed.integer() == 1) {
    unit.renewed = Clock::now();
    return true;
  }
  log::Warn("bus: lost a partition's lease in the middle of a batch",
            {{"group", subscribe_.group}, {"stream", unit.stream}});
  unit.held = false;
  unit.pending_after.clear();
  return false;
}

void RedisStreamBus::Member::Acknowledge(const Unit& unit, const std::string& entry_id) {
  client_.Command({"XACK", unit.stream, subscribe_.group, entry_id});
}

void RedisStreamBus::Member::Park(const Unit& unit, const std::string& entry_id,
                                  const Message& message, const DispatchResult& result) {
  client_.EvalScript(kParkScript, {keys_.Dlq(subscribe_.group), unit.stream},
                     {subscribe_.group, entry_id, message.id, message.key, message.payload,
                      std::to_string(result.attempts), result.error, std::to_string(NowMs())});
}

void RedisStreamBus::Member::LogOutage(const RedisError& e) {
  in_outage_ = true;
  // One line per 5 s at most: a member retries several times a second while Redis is down.
  const auto now = Clock::now();
  if (now - last_warn_ < std::chrono::seconds(5)) {
    ++warns_suppressed_;
    return;
  }
  log::Warn("bus: Redis call failed; retrying", {{"group", subscribe_.group},
                                                 {"consumer", subscribe_.consumer},
                                                 {"error", e.what()},
                                                 {"suppressed", warns_suppressed_}});
  last_warn_ = now;
  warns_suppressed_ = 0;
}

void RedisStreamBus::Member::Release() {
  try {
    client_.EvalScript(kReleaseScript, LeaseKeys(), {subscribe_.consumer});
  } catch (const RedisError& e) {
    // The leases and the heartbeat run out by themselves.
    log::Warn("bus: could not release the member's leases",
              {{"group", subscribe_.group}, {"error", e.what()}});
  }
}

RedisStreamBus::RedisStreamBus(RedisClient& client, RedisStreamOptions options)
    : client_(client), options_(std::move(options)) {
  if (options_.partitions < 1) throw std::invalid_argument("bus: partitions must be at least 1");
  if (options_.lease.count() < 3) throw std::invalid_argument("bus: the lease is too short");
}

RedisStreamBus::~RedisStreamBus() = default;

int RedisStreamBus::PartitionOf(std::string_view key, int partitions) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 16777619u;
  }
  return static_cast<int>(hash % static_cast<std::uint32_t>(std::max(1, partitions)));
}

void RedisStreamBus::Publish(std::span<const Message> messages) {
  const Keys keys = KeysOf(options_);
  std::vector<std::vector<std::string>> batches(options_.partitions);
  for (const Message& m : messages) {
    auto& batch = batches[PartitionOf(m.key, options_.partitions)];
    if (batch.empty()) batch.push_back(std::to_string(options_.max_len));
    batch.insert(batch.end(), {m.id, m.key, m.payload});
  }
  Guarded([&] {
    for (int p = 0; p < options_.partitions; ++p) {
      if (!batches[p].empty()) client_.EvalScript(kPublishScript, {keys.Partition(p)}, batches[p]);
    }
  });
}

std::unique_ptr<Subscription> RedisStreamBus::Subscribe(const SubscribeOptions& options,
                                                        Handler handler) {
  if (!ValidName(options.group)) {
    throw std::invalid_argument("bus group name is invalid: \"" + options.group + "\"");
  }
  if (!ValidName(options.consumer)) {
    throw std::invalid_argument("bus consumer name is invalid: \"" + options.consumer + "\"");
  }
  auto member = std::make_unique<Member>(client_, options_, options, std::move(handler));
  member->Start();
  return member;
}

std::vector<GroupStatus> RedisStreamBus::Groups() {
  const Keys keys = KeysOf(options_);
  return Guarded([&] {
    std::map<std::string, GroupStatus> groups;
    std::map<std::string, std::string> positions;
    // Adds one stream's XINFO GROUPS to the totals; `label` names it in the position.
    auto add = [&](const std::string& stream, const std::string& label, const std::string* only) {
      if (client_.Command({"EXISTS", stream}).integer() == 0) return;
      const RedisReply infos = client_.Command({"XINFO", "GROUPS", stream});
      for (const RedisReply& info : infos.elements()) {
        const std::string name = StringField(info, "name");
        if (only != nullptr && name != *only) continue;
        GroupStatus& status = groups[name];
        status.group = name;
        const std::int64_t lag = IntegerField(info, "lag", -1);
        status.lag = (status.lag < 0 || lag < 0) ? -1 : status.lag + lag;
        status.pending += IntegerField(info, "pending", 0);
        const std::string last = StringField(info, "last-delivered-id");
        if (!last.empty() && last != "0-0") {
          std::string& position = positions[name];
          position += (position.empty() ? "" : ",") + label + "=" + last;
        }
      }
    };
    for (int p = 0; p < options_.partitions; ++p)
      add(keys.Partition(p), "p" + std::to_string(p), nullptr);
    std::vector<GroupStatus> out;
    for (auto& [name, status] : groups) {
      add(keys.Retry(name), "retry", &name);
      status.position = positions[name];
      const RedisReply live = client_.EvalScript(
          "local t = redis.call('TIME') "
          "return redis.call('ZCOUNT', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000), '+inf')",
          {keys.Members(name)}, {});
      status.consumers = static_cast<int>(live.integer());
      status.dead_letters = client_.Command({"XLEN", keys.Dlq(name)}).integer();
      out.push_back(status);
    }
    return out;
  });
}

std::vector<DeadLetter> RedisStreamBus::DeadLetters(std::string_view group, int limit) {
  std::vector<DeadLetter> out;
  if (limit <= 0) return out;
  const RedisReply reply = Guarded([&] {
    return client_.Command(
        {"XRANGE", KeysOf(options_).Dlq(group), "-", "+", "COUNT", std::to_string(limit)});
  });
  for (const RedisReply& entry : reply.elements()) {
    const RedisReply& f = entry.elements().at(1);
    out.push_back(DeadLetter{
        .dead_letter_id = entry.elements().at(0).str(),
        .group = std::string(group),
        .message = Message{StringField(f, "id"), StringField(f, "key"), StringField(f, "payload")},
        .attempts = static_cast<int>(IntegerField(f, "attempts", 0)),
        .error = StringField(f, "error"),
        .parked_at_ms = IntegerField(f, "parked_at_ms", 0)});
  }
  return out;
}

int RedisStreamBus::Replay(std::string_view group, std::span<const std::string> ids) {
  std::vector<std::string> chosen;
  for (const std::string& id : ids) {
    if (IsEntryId(id)) chosen.push_back(id);
  }
  // Ids given but none well-formed: nothing to move (an empty list would mean all).
  if (!ids.empty() && chosen.empty()) return 0;
  const Keys keys = KeysOf(options_);
  const RedisReply moved = Guarded([&] {
    return client_.EvalScript(kReplayScript, {keys.Dlq(group), keys.Retry(group)}, chosen);
  });
  return static_cast<int>(moved.integer());
}

std::string RedisStreamBus::Describe() const {
  return "redis-streams redis://" + client_.options().endpoint.ToString() + " " + options_.prefix +
         "bus";
}

}  // namespace reel::bus
