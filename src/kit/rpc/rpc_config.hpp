#pragma once

#include <chrono>
#include <string>

namespace reel::rpc {

/// How a process talks gRPC: its own server and its calls to other services.
struct RpcConfig {
  /// gRPC listen port; 0 means the service's default (user 9081 … relation 9086).
  int port = 0;
  /// Every call gets this deadline; a call still running then fails with
  /// DEADLINE_EXCEEDED (and counts as a failure for the breaker).
  std::chrono::milliseconds deadline{1000};
  /// An idempotent read that failed in transport (unavailable, deadline) is retried once
  /// after a random pause in [0, retry_jitter], on the next instance in round-robin order.
  std::chrono::milliseconds retry_jitter{50};
  /// Adaptive client-side throttling (Google SRE book, "Handling Overload"): a call is
  /// rejected locally with probability max(0, (requests − K·accepts) / (requests + 1))
  /// over the last `breaker_window`.
  double breaker_k = 2.0;
  std::chrono::milliseconds breaker_window{10000};

  /// Where each service is (see channel_set.hpp for the forms). Defaults: 127.0.0.1:908x.
  std::string user_target = "127.0.0.1:9081";
  std::string video_target = "127.0.0.1:9082";
  std::string favorite_target = "127.0.0.1:9083";
  std::string comment_target = "127.0.0.1:9084";
  std::string feed_target = "127.0.0.1:9085";
  std::string relation_target = "127.0.0.1:9086";
  std::string moderation_target = "127.0.0.1:9088";  // issue 16 (9087: the job service's)

  /// etcd v3 (JSON gateway) base URLs, comma separated, e.g. http://127.0.0.1:2379. When
  /// set, `reel serve <svc>` registers itself under `<etcd_prefix><svc>/<advertise>` with a
  /// lease of `etcd_lease_ttl`, kept alive until it stops; targets of the form "etcd" are
  /// watched there.
  std::string etcd_endpoints;
  std::string etcd_prefix = "/reel/services/";
  std::chrono::milliseconds etcd_lease_ttl{10000};
  /// host:port others should dial to reach this process's gRPC server; empty:
  /// 127.0.0.1:<grpc port>.
  std::string advertise;
};

}  // namespace reel::rpc
