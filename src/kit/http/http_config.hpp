#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace reel::http {

struct HttpConfig {
  std::string host = "0.0.0.0";
  int port = 0;     // 0: the process mode's default port
  int threads = 0;  // I/O threads; 0: twice the cores, at least 4
  /// Threads for blocking routes (Route::blocking); 0: one per core.
  int blocking_threads = 0;
  /// Threads for requests that change something (POST, PUT, PATCH, DELETE), which mostly
  /// wait for their commit: the more wait at once, the more each group commit carries.
  /// 0: 32.
  int write_threads = 0;
  std::uint64_t max_body_bytes = 1 << 20;
  /// How long a stopping server waits for in-flight requests.
  std::chrono::milliseconds drain_timeout{10'000};
  /// Where uploads are spooled while they stream in (keep it on the media store's
  /// filesystem so keeping an upload is a rename). Empty: the system temp directory.
  std::string spool_dir;
  /// Origins allowed by CORS; "*" allows any (reel uses no cookies: a token must be sent).
  std::vector<std::string> cors_origins{"*"};
  /// Proxies whose X-Forwarded-For is believed, as CIDR ranges (IPv4 and IPv6, e.g.
  /// "127.0.0.0/8,::1/128"): from them the client is the right-most forwarded address that is
  /// not itself trusted (see TrustedProxies). Empty: the header is ignored, the TCP peer is
  /// the client.
  std::vector<std::string> trusted_proxies;
  /// Connections one peer address may hold open at once; a further one is closed as soon as
  /// it is accepted. Trusted proxies are exempt (each carries many clients). 0: unlimited.
  int max_connections_per_client = 256;
};

}  // namespace reel::http
