#include "kit/rpc/etcd_client.hpp"

#include <algorithm>
#include <utility>

#include "kit/json/json_writer.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/etcd_http.hpp"
#include "kit/rpc/etcd_wire.hpp"

namespace reel::rpc {

using etcd_wire::Base64Encode;

namespace {

std::string TrimmedEndpoint(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '/')) {
    text.remove_suffix(1);
  }
  if (text.empty()) return {};
  std::string url(text);
  // "127.0.0.1:2379" is what people type; the gateway speaks plain HTTP unless told.
  if (url.find("://") == std::string::npos) url = "http://" + url;
  return url;
}

// etcd rejects an empty key, so "every key" starts at "\0".
std::string RangeStart(const std::string& prefix) {
  return prefix.empty() ? std::string(1, '\0') : prefix;
}

}  // namespace

EtcdClient::EtcdClient(std::vector<std::string> endpoints, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  for (const auto& endpoint : endpoints) {
    if (auto url = TrimmedEndpoint(endpoint); !url.empty()) endpoints_.push_back(std::move(url));
  }
}

EtcdClient::~EtcdClient() = default;

std::vector<std::string> EtcdClient::ParseEndpoints(std::string_view comma_separated) {
  std::vector<std::string> out;
  while (!comma_separated.empty()) {
    auto comma = comma_separated.find(',');
    if (auto url = TrimmedEndpoint(comma_separated.substr(0, comma)); !url.empty()) {
      out.push_back(std::move(url));
    }
    if (comma == std::string_view::npos) break;
    comma_separated.remove_prefix(comma + 1);
  }
  return out;
}

Result<std::string> EtcdClient::Call(std::string_view path, const std::string& body) {
  if (endpoints_.empty()) return Unavailable("ETCD_UNREACHABLE", "no etcd endpoint configured");
  Status last;
  const std::size_t first = preferred_.load();
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (first + i) % endpoints_.size();
    auto reply = PostJson(endpoints_[at] + std::string(path), body, timeout_);
    if (!reply.ok()) {
      last = reply.status();
      continue;
    }
    preferred_.store(at);
    if (reply->status / 100 != 2) return etcd_wire::ErrorStatus(reply->status, reply->body);
    return std::move(reply->body);
  }
  return last;
}

Status EtcdClient::Stream(std::string_view path, const std::string& body,
                          const std::function<bool(std::string_view line)>& on_line,
                          HttpStreamCancel& cancel) {
  if (endpoints_.empty()) return Unavailable("ETCD_UNREACHABLE", "no etcd endpoint configured");
  const std::string& endpoint = endpoints_[preferred_.load() % endpoints_.size()];
  return PostJsonStream(endpoint + std::string(path), body, timeout_, on_line, cancel);
}

Result<std::int64_t> EtcdClient::GrantLease(std::chrono::seconds ttl) {
  json::JsonWriter w;
  w.BeginObject().Field("TTL", static_cast<std::int64_t>(ttl.count())).EndObject();
  auto body = Call("/v3/lease/grant", w.Take());
  if (!body.ok()) return body.status();
  auto reply = etcd_wire::ParseReply(*body);
  if (!reply.ok()) return reply.status();
  if (reply->id == 0) return Unavailable("ETCD_ERROR", "etcd granted no lease id");
  return reply->id;
}

Status EtcdClient::KeepAliveOnce(std::int64_t lease) {
  json::JsonWriter w;
  w.BeginObject().Field("ID", lease).EndObject();
  auto body = Call("/v3/lease/keepalive", w.Take());
  if (!body.ok()) return body.status();
  auto reply = etcd_wire::ParseReply(*body);
  if (!reply.ok()) return reply.status();
  // etcd answers a keep-alive for an unknown lease with TTL 0 rather than an error.
  if (reply->ttl <= 0) {
    return NotFound("ETCD_NOT_FOUND", "lease " + std::to_string(lease) + " has expired");
  }
  return Status::Ok();
}

Status EtcdClient::Revoke(std::int64_t lease) {
  json::JsonWriter w;
  w.BeginObject().Field("ID", lease).EndObject();
  return Call("/v3/lease/revoke", w.Take()).status();
}

Status EtcdClient::Put(const std::string& key, const std::string& value, std::int64_t lease) {
  json::JsonWriter w;
  w.BeginObject().Field("key", Base64Encode(key)).Field("value", Base64Encode(value));
  if (lease != 0) w.Field("lease", lease);
  w.EndObject();
  return Call("/v3/kv/put", w.Take()).status();
}

Status EtcdClient::Delete(const std::string& key) {
  json::JsonWriter w;
  w.BeginObject().Field("key", Base64Encode(key)).EndObject();
  return Call("/v3/kv/deleterange", w.Take()).status();
}

Result<EtcdClient::Snapshot> EtcdClient::GetPrefix(const std::string& prefix) {
  json::JsonWriter w;
  w.BeginObject()
      .Field("key", Base64Encode(RangeStart(prefix)))
      .Field("range_end", Base64Encode(etcd_wire::PrefixEnd(prefix)))
      .EndObject();
  auto body = Call("/v3/kv/range", w.Take());
  if (!body.ok()) return body.status();
  auto reply = etcd_wire::ParseReply(*body);
  if (!reply.ok()) return reply.status();
  Snapshot snapshot;
  snapshot.revision = reply->revision;
  for (auto& kv : reply->kvs) snapshot.values[std::move(kv.key)] = std::move(kv.value);
  return snapshot;
}

// --- EtcdRegistration

EtcdRegistration::EtcdRegistration(EtcdClient& etcd, std::string key, std::string value,
                                   std::chrono::milliseconds ttl)
    : etcd_(etcd), key_(std::move(key)), value_(std::move(value)), ttl_(ttl) {
  Register();
  thread_ = std::thread([this] { Run(); });
}

EtcdRegistration::~EtcdRegistration() {
  StopThread();
  std::int64_t lease = 0;
  {
    std::lock_guard lock(mu_);
    lease = std::exchange(lease_, 0);
  }
  if (lease == 0) return;
  if (Status s = etcd_.Revoke(lease); !s.ok()) {
    log::Warn("etcd: could not revoke lease; the key expires with it",
              {{"key", key_}, {"reason", s.reason}, {"error", s.message}});
  }
}

bool EtcdRegistration::registered() const {
  std::lock_guard lock(mu_);
  return lease_ != 0;
}

void EtcdRegistration::Abandon() {
  StopThread();
  std::lock_guard lock(mu_);
  lease_ = 0;
}

void EtcdRegistration::StopThread() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool EtcdRegistration::Register() {
  // etcd counts leases in whole seconds; round up so the key never outlives less than ttl.
  auto seconds = std::chrono::ceil<std::chrono::seconds>(ttl_);
  auto lease = etcd_.GrantLease(std::max(seconds, std::chrono::seconds(1)));
  Status status = lease.status();
  if (lease.ok()) {
    status = etcd_.Put(key_, value_, *lease);
    if (!status.ok()) (void)etcd_.Revoke(*lease);  // best effort: it expires anyway
  }
  if (!status.ok()) {
    log::Warn("etcd: registration failed; retrying",
              {{"key", key_}, {"reason", status.reason}, {"error", status.message}});
    return false;
  }
  std::lock_guard lock(mu_);
  lease_ = *lease;
  log::Info("etcd: registered", {{"key", key_}, {"value", value_}, {"lease", *lease}});
  return true;
}

void EtcdRegistration::Run() {
  // Three keep-alives per TTL: one lost or slow request still leaves the lease alive.
  const auto interval =
      std::max<std::chrono::milliseconds>(ttl_ / 3, std::chrono::milliseconds(50));
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
    const std::int64_t lease = lease_;
    lock.unlock();
    if (lease == 0) {
      Register();
    } else if (Status s = etcd_.KeepAliveOnce(lease); s.code == Code::kNotFound) {
      log::Warn("etcd: lease lost; registering again", {{"key", key_}, {"lease", lease}});
      {
        std::lock_guard relock(mu_);
        lease_ = 0;
      }
      Register();
    } else if (!s.ok()) {
      // etcd is unreachable: keep trying; if the lease expires meanwhile, the keep-alive
      // that follows its return says so and the key is written again.
      log::Debug("etcd: keep-alive failed", {{"key", key_}, {"error", s.message}});
    }
    lock.lock();
  }
}

}  // namespace reel::rpc
