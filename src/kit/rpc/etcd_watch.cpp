#include <algorithm>
#include <utility>

#include "kit/json/json_writer.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/etcd_client.hpp"
#include "kit/rpc/etcd_http.hpp"
#include "kit/rpc/etcd_wire.hpp"
#include "kit/rpc/rpc_config.hpp"

namespace reel::rpc {
namespace {

constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};

}  // namespace

EtcdWatch::EtcdWatch(EtcdClient& etcd, std::string prefix,
                     std::function<void(std::vector<std::string> values)> on_change)
    : etcd_(etcd),
      prefix_(std::move(prefix)),
      on_change_(std::move(on_change)),
      cancel_(std::make_unique<HttpStreamCancel>()) {
  // Reading once here means a caller sees the current instances as soon as it has the
  // watch, rather than an empty set until the thread gets going.
  Resync();
  thread_ = std::thread([this] { Run(); });
}

EtcdWatch::~EtcdWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  cancel_->Cancel();
  if (thread_.joinable()) thread_.join();
}

bool EtcdWatch::Pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, delay, [this] { return stop_; });
}

bool EtcdWatch::Resync() {
  auto snapshot = etcd_.GetPrefix(prefix_);
  if (!snapshot.ok()) {
    log::Debug("etcd: watch cannot read its prefix",
               {{"prefix", prefix_}, {"error", snapshot.status().message}});
    revision_ = 0;
    return false;
  }
  values_ = std::move(snapshot->values);
  revision_ = snapshot->revision;
  if (!Publish()) {
    // Not synced until the consumer has the set: the next attempt reads and offers it again.
    revision_ = 0;
    return false;
  }
  return true;
}

bool EtcdWatch::Publish() {
  std::vector<std::string> values;
  values.reserve(values_.size());
  for (const auto& [key, value] : values_) values.push_back(value);
  if (has_published_ && values == published_) return true;
  // A throwing consumer must not end the watch thread (std::terminate) or, when called from
  // the stream, unwind through libcurl; the set counts as published only once it was taken,
  // so the retry after a resync offers it again.
  try {
    on_change_(values);
  } catch (const std::exception& e) {
    log::Warn("etcd: the watch's consumer failed; retrying",
              {{"prefix", prefix_}, {"error", e.what()}});
    return false;
  } catch (...) {
    log::Warn("etcd: the watch's consumer failed; retrying", {{"prefix", prefix_}});
    return false;
  }
  published_ = std::move(values);
  has_published_ = true;
  return true;
}

bool EtcdWatch::Follow() {
  json::JsonWriter w;
  w.BeginObject()
      .BeginObject("create_request")
      .Field("key", etcd_wire::Base64Encode(prefix_.empty() ? std::string(1, '\0') : prefix_))
      .Field("range_end", etcd_wire::Base64Encode(etcd_wire::PrefixEnd(prefix_)))
      // From just after the read, so nothing between the read and the watch is missed.
      .Field("start_revision", revision_ + 1)
      .EndObject()
      .EndObject();
  bool established = false;
  Status status = etcd_.Stream(
      "/v3/watch", w.Take(),
      [&](std::string_view text) {
        auto line = etcd_wire::ParseWatchLine(text);
        switch (line.kind) {
          case etcd_wire::WatchLine::Kind::kCreated:
            established = true;
            return true;
          case etcd_wire::WatchLine::Kind::kEvents:
            for (auto& event : line.events) {
              if (event.deleted) {
                values_.erase(event.key);
              } else {
                values_[std::move(event.key)] = std::move(event.value);
              }
            }
            revision_ = std::max(revision_, line.revision);
            // A refused set ends the stream; Run resyncs and offers it again.
            return Publish();
          case etcd_wire::WatchLine::Kind::kCanceled:
          case etcd_wire::WatchLine::Kind::kError:
            log::Warn("etcd: watch ended; reading the prefix again",
                      {{"prefix", prefix_}, {"why", line.message}});
            return false;
        }
        return false;
      },
      *cancel_);
  if (status.code == Code::kInternal) {
    log::Warn("etcd: watch stream failed", {{"prefix", prefix_}, {"error", status.message}});
  } else if (!status.ok()) {
    log::Debug("etcd: watch stream broke", {{"prefix", prefix_}, {"error", status.message}});
  }
  return established;
}

void EtcdWatch::Run() {
  auto backoff = kMinBackoff;
  bool synced = revision_ != 0;
  while (true) {
    if (synced && Follow()) backoff = kMinBackoff;
    // The stream ended (etcd restarted, a compaction, an error): wait a little, then start
    // over from a fresh read so every change made meanwhile shows up.
    if (!Pause(backoff)) return;
    backoff = std::min(backoff * 2, kMaxBackoff);
    synced = Resync();
  }
}

// --- The etcd-discovered channel set

namespace {

// Instances of one service as the watch reports them; the watch is declared after the set
// so it stops (and stops calling Update) before the set goes away.
class EtcdChannelSet final : public ChannelSet {
 public:
  EtcdChannelSet(EtcdClient& etcd, const std::string& service, std::string prefix)
      : watch_(etcd, std::move(prefix), [this, service](std::vector<std::string> values) {
          Apply(service, std::move(values));
        }) {}

  std::shared_ptr<grpc::Channel> Pick() override { return set_.Pick(); }
  std::vector<std::string> Addresses() const override { return set_.Addresses(); }
  bool ReportFailure(const grpc::Channel* channel) override { return set_.ReportFailure(channel); }

 private:
  void Apply(const std::string& service, std::vector<std::string> values) {
    // Two keys may carry one address (a restart before the old lease expired); dial it once.
    std::vector<std::string> addresses;
    for (auto& value : values) {
      bool usable = !value.empty() && value.find_first_of(" \t\r\n") == std::string::npos;
      if (usable && std::find(addresses.begin(), addresses.end(), value) == addresses.end()) {
        addresses.push_back(std::move(value));
      }
    }
    log::Info("etcd: instances changed",
              {{"service", service}, {"count", static_cast<std::int64_t>(addresses.size())}});
    set_.Update(std::move(addresses));
  }

  DynamicChannelSet set_;
  EtcdWatch watch_;
};

}  // namespace

std::unique_ptr<ChannelSet> MakeEtcdChannelSet(const std::string& service, const RpcConfig& config,
                                               EtcdClient& etcd) {
  return std::make_unique<EtcdChannelSet>(etcd, service, config.etcd_prefix + service + "/");
}

}  // namespace reel::rpc
