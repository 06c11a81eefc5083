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
  /// Origins allowed by CORS; "*" allows any.
  std::vector<std::string> cors_origins{"*"};
};

}  // namespace reel::http
