#include "kit/events/outbox_relay.hpp"

#include <condition_variable>
#include <vector>

#include "kit/events/event_wire.hpp"
#include "kit/log/log.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::events {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Row {
  std::int64_t seq;
  bus::Message message;
};

// Rows deleted per statement.
constexpr std::size_t kDeleteChunk = 500;

}  // namespace

OutboxRelay::OutboxRelay(Outbox& outbox, bus::Bus& bus, OutboxRelayOptions options)
    : outbox_(outbox),
      bus_(bus),
      options_(std::move(options)),
      pending_([this, &gauge = metrics::GaugeFamily(
                                   "reel_outbox_pending",
                                   "Events committed and not yet deleted from the outbox, by "
                                   "database (published or not).")
                                   .Add({{"database", outbox.database().MetricsName()}})] {
        try {
          gauge.Set(static_cast<double>(outbox_.database().Read([](db::Connection& conn) {
            auto stmt = conn.Prepare("SELECT COUNT(*) FROM outbox");
            return stmt.Step() ? stmt.Int(0) : 0;
          })));
        } catch (const StatusError&) {
          // The database is away: the gauge keeps its last value; its errors say why.
        }
      }) {}

OutboxRelay::~OutboxRelay() {
  outbox_.OnCommitted(nullptr);
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void OutboxRelay::Start() {
  try {
    PublishPending();
    DeletePublished();
  } catch (const std::exception& e) {
    log::Warn("outbox relay: cannot publish at start; retrying",
              {{"error", e.what()}, {"database", outbox_.database().Describe()}});
  }
  outbox_.OnCommitted([this] { PublishPending(); });
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

bool OutboxRelay::HoldLease(std::int64_t now_ms) {
  // Renewed when half of it is left, so a leader writes about twice per lease.
  if (lease_until_ms_ - now_ms > options_.lease.count() / 2) return true;
  // A follower asks again only every third of a lease, not on every write.
  if (lease_until_ms_ == 0 && now_ms < next_try_ms_) return false;
  const std::int64_t until = now_ms + options_.lease.count();
  const bool held = outbox_.database().Write([&](db::Connection& conn) {
    conn.Prepare(
            "UPDATE outbox_relay SET holder = ?, expires_at_ms = ? "
            "WHERE id = 1 AND (holder = ? OR expires_at_ms < ?)")
        .BindAll(options_.holder, until, options_.holder, now_ms)
        .Run();
    return conn.Changes() == 1;
  });
  if (held && lease_until_ms_ < now_ms) {
    // Taking over (or starting): what an earlier holder published but did not delete is
    // published again (at least once); our own memory of published rows starts empty.
    log::Info("outbox relay: leading",
              {{"holder", options_.holder}, {"database", outbox_.database().Describe()}});
    published_.clear();
  }
  lease_until_ms_ = held ? until : 0;
  if (!held) next_try_ms_ = now_ms + options_.lease.count() / 3;
  return held;
}

int OutboxRelay::PublishPending(std::int64_t up_to) {
  // A subscriber of the in-process bus runs inside this call; should it write and publish
  // in turn, its rows wait for the loop below or the next pass rather than deadlock.
  thread_local const OutboxRelay* publishing = nullptr;
  if (publishing == this) return 0;
  std::lock_guard lock(mu_);
  publishing = this;
  struct Done {
    ~Done() { publishing = nullptr; }
  } done;
  if (!HoldLease(NowMs())) return 0;
  int total = 0;
  while (true) {
    // Published rows not deleted yet are read again and skipped; the limit leaves room
    // for them.
    const auto limit = static_cast<std::int64_t>(options_.batch + published_.size());
    std::vector<Row> rows = outbox_.database().Read([&](db::Connection& conn) {
      std::vector<Row> out;
      auto stmt = conn.Prepare(
          "SELECT seq, event_id, kind, subject_id, actor_id, at_ms, trace_parent FROM outbox "
          "WHERE seq <= ? ORDER BY seq LIMIT ?");
      stmt.BindAll(up_to, limit);
      while (stmt.Step()) {
        const std::int64_t seq = stmt.Int(0);
        if (published_.contains(seq)) continue;
        Event event =
            MakeEvent(static_cast<EventKind>(stmt.Int(2)), stmt.Int(3), stmt.Int(4), stmt.Int(5));
        event.id = stmt.Text(1);
        event.trace_parent = stmt.Text(6);
        out.push_back(Row{
            seq, bus::Message{event.id, AggregateOf(event), ToWire(event).SerializeAsString()}});
      }
      return out;
    });
    if (rows.empty()) return total;
    std::vector<bus::Message> messages;
    messages.reserve(rows.size());
    for (const Row& row : rows) messages.push_back(row.message);
    static auto& published = metrics::Counter("reel_bus_published_total",
                                              "Events the outbox relays published to the bus.");
    static auto& failed = metrics::Counter(
        "reel_bus_publish_errors_total", "Outbox batches the bus refused (published again later).");
    try {
      bus_.Publish(messages);
    } catch (...) {
      failed.Increment();
      throw;
    }
    published.Increment(static_cast<double>(messages.size()));
    for (const Row& row : rows) published_.insert(row.seq);
    total += static_cast<int>(rows.size());
    if (static_cast<int>(rows.size()) < options_.batch) return total;
  }
}

void OutboxRelay::DeletePublished() {
  std::lock_guard lock(mu_);
  while (!published_.empty()) {
    std::vector<std::int64_t> chunk;
    for (auto it = published_.begin(); it != published_.end() && chunk.size() < kDeleteChunk;
         ++it) {
      chunk.push_back(*it);
    }
    std::string sql = "DELETE FROM outbox WHERE seq IN (";
    for (std::size_t i = 0; i < chunk.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    outbox_.database().Write([&](db::Connection& conn) {
      auto stmt = conn.Prepare(sql);
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        stmt.Bind(static_cast<int>(i + 1), chunk[i]);
      }
      stmt.Run();
    });
    for (std::int64_t seq : chunk) published_.erase(seq);
  }
}

std::int64_t OutboxRelay::MaxSeq() const {
  return outbox_.database().Read([](db::Connection& conn) {
    auto stmt = conn.Prepare("SELECT COALESCE(MAX(seq), 0) FROM outbox");
    return stmt.Step() ? stmt.Int(0) : std::int64_t{0};
  });
}

void OutboxRelay::Pass() {
  if (settled_ > 0) PublishPending(settled_);
  DeletePublished();
  settled_ = MaxSeq();
}

void OutboxRelay::Run(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  int failures = 0;
  while (!stop.stop_requested()) {
    try {
      Pass();
      if (failures) log::Info("outbox relay: publishing again", {{"after_failures", failures}});
      failures = 0;
    } catch (const std::exception& e) {
      // The bus or the database is away: the rows wait; warn on the first failure and then
      // every 50th, not every pass.
      if (failures++ % 50 == 0) {
        log::Warn("outbox relay: cannot publish; retrying",
                  {{"error", e.what()}, {"database", outbox_.database().Describe()}});
      }
    }
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, options_.poll, [] { return false; });
  }
}

bool OutboxRelay::leading() const {
  std::lock_guard lock(mu_);
  return lease_until_ms_ > 0;
}

}  // namespace reel::events
