#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace reel::rpc::testing {

/// A real single-member etcd (/usr/bin/etcd) on free loopback ports in a temp dir, for
/// tests. Start() waits until it answers; Stop() sends SIGTERM (SIGKILL after a few
/// seconds); the destructor stops it and removes the dir. Not thread-safe.
class EtcdTestServer {
 public:
  static constexpr const char* kBinary = "/usr/bin/etcd";

  EtcdTestServer();
  ~EtcdTestServer();
  EtcdTestServer(const EtcdTestServer&) = delete;
  EtcdTestServer& operator=(const EtcdTestServer&) = delete;

  /// Empty on success, else why etcd did not come up (missing binary, early exit with the
  /// tail of its log, no answer in time).
  std::string Start();
  void Stop();
  /// Throws its data away (etcd "loses" every key and lease); only while stopped.
  void WipeData();

  /// The client URL, e.g. http://127.0.0.1:40123.
  const std::string& endpoint() const { return endpoint_; }

 private:
  std::string LogTail() const;

  std::filesystem::path dir_;
  int client_port_ = 0;
  int peer_port_ = 0;
  std::string endpoint_;
  pid_t pid_ = -1;
};

}  // namespace reel::rpc::testing
