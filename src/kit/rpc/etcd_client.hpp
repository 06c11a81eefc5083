#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kit/status/status.hpp"

namespace reel::rpc {

class ChannelSet;
class HttpStreamCancel;
struct RpcConfig;

/// A small etcd v3 client over its JSON gateway (POST /v3/kv/range, /v3/kv/put,
/// /v3/lease/grant, /v3/lease/keepalive, /v3/lease/revoke, streaming /v3/watch), using
/// libcurl; keys and values are base64 on the wire, plain strings here. Tries the
/// endpoints in order, starting from the last one that answered. Thread-safe.
///
/// Errors: Unavailable ETCD_UNREACHABLE (no endpoint answered), NotFound ETCD_NOT_FOUND
/// (an unknown or expired lease), Unavailable ETCD_ERROR (etcd refused the request).
class EtcdClient {
 public:
  /// `endpoints`: base URLs, e.g. {"http://127.0.0.1:2379"}. `timeout` bounds each request.
  explicit EtcdClient(std::vector<std::string> endpoints,
                      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~EtcdClient();

  /// Splits RpcConfig::etcd_endpoints ("http://a:2379,http://b:2379") into base URLs.
  static std::vector<std::string> ParseEndpoints(std::string_view comma_separated);

  /// A new lease of `ttl` (etcd may raise it to its minimum, usually 1–2 s).
  Result<std::int64_t> GrantLease(std::chrono::seconds ttl);
  /// Refreshes the lease once; NotFound ETCD_NOT_FOUND when it has expired or was revoked.
  Status KeepAliveOnce(std::int64_t lease);
  /// Ends the lease and deletes its keys at once.
  Status Revoke(std::int64_t lease);
  Status Put(const std::string& key, const std::string& value, std::int64_t lease = 0);
  Status Delete(const std::string& key);
  /// Every key under `prefix` with its value, and the revision they were read at.
  struct Snapshot {
    std::map<std::string, std::string> values;
    std::int64_t revision = 0;
  };
  Result<Snapshot> GetPrefix(const std::string& prefix);

 private:
  friend class EtcdWatch;

  /// POSTs `body` to `path` on each endpoint in turn until one answers; the reply body of
  /// a 2xx answer, or the Status etcd's error maps to.
  Result<std::string> Call(std::string_view path, const std::string& body);
  /// Opens the streaming watch on the endpoint that answered last and feeds each JSON
  /// line to `on_line` until the stream ends, `on_line` returns false, or `cancel` fires.
  Status Stream(std::string_view path, const std::string& body,
                const std::function<bool(std::string_view line)>& on_line,
                HttpStreamCancel& cancel);

  std::vector<std::string> endpoints_;
  std::chrono::milliseconds timeout_;
  std::atomic<std::size_t> preferred_{0};
};

/// Registers `key` = `value` under a lease of `ttl` and keeps it alive on a background
/// thread (every ttl/3); re-registers with a new lease if the old one was lost (etcd
/// restarted, a long pause). The destructor revokes the lease, so the key vanishes at once
/// on a clean stop and within `ttl` on a crash.
///
/// The constructor makes the first attempt itself, so the key is visible when it returns
/// if etcd is reachable; otherwise the background thread keeps trying every ttl/3.
class EtcdRegistration {
 public:
  EtcdRegistration(EtcdClient& etcd, std::string key, std::string value,
                   std::chrono::milliseconds ttl);
  ~EtcdRegistration();
  EtcdRegistration(const EtcdRegistration&) = delete;
  EtcdRegistration& operator=(const EtcdRegistration&) = delete;

  /// True while the key is held under a live lease (as of the last keep-alive).
  bool registered() const;
  /// Stops the keep-alive without revoking, as a crash would: the key stays until its lease
  /// expires. For tests; the destructor then does nothing more.
  void Abandon();

 private:
  void Run();
  bool Register();
  void StopThread();

  EtcdClient& etcd_;
  const std::string key_;
  const std::string value_;
  const std::chrono::milliseconds ttl_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::int64_t lease_ = 0;  // 0: not registered right now
  std::thread thread_;
};

/// Watches every key under `prefix` and calls `on_change` with the full current set of
/// values (in key order) whenever it changes, and once at start (from the constructor when
/// etcd answers, else from the watch thread once it does). Reconnects after errors,
/// re-reading the prefix. `on_change` runs on the watch thread, one call at a time. When it
/// throws, the exception is logged (warn) and the set is offered again after a fresh read
/// (with the reconnect backoff), so a consumer that fails once still converges. The
/// destructor stops the watch thread.
class EtcdWatch {
 public:
  EtcdWatch(EtcdClient& etcd, std::string prefix,
            std::function<void(std::vector<std::string> values)> on_change);
  ~EtcdWatch();
  EtcdWatch(const EtcdWatch&) = delete;
  EtcdWatch& operator=(const EtcdWatch&) = delete;

 private:
  /// Reads the prefix and publishes it; false when etcd did not answer or the consumer threw.
  bool Resync();
  /// Follows changes from the last read revision until the stream breaks; true when etcd
  /// had accepted the watch (so a quick retry is worth it).
  bool Follow();
  void Run();
  /// Hands the current set to `on_change_` unless it has it already; false when it threw.
  bool Publish();
  /// Sleeps up to `delay` unless the watch is being stopped; false when it is.
  bool Pause(std::chrono::milliseconds delay);

  EtcdClient& etcd_;
  const std::string prefix_;
  const std::function<void(std::vector<std::string>)> on_change_;

  // Touched only by the constructor, then only by the watch thread.
  std::map<std::string, std::string> values_;
  std::int64_t revision_ = 0;
  std::vector<std::string> published_;
  bool has_published_ = false;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::unique_ptr<HttpStreamCancel> cancel_;
  std::thread thread_;
};

/// The instances of `service` registered under `<config.etcd_prefix><service>/` (each
/// value a host:port), kept current by an EtcdWatch and picked round robin. The returned
/// set owns the watch; `etcd` must outlive it.
std::unique_ptr<ChannelSet> MakeEtcdChannelSet(const std::string& service, const RpcConfig& config,
                                               EtcdClient& etcd);

}  // namespace reel::rpc
