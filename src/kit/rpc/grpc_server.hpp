#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace reel::rpc {

/// A process's gRPC server: the given services plus the standard health service
/// (grpc.health.v1, SERVING while started). Start() throws std::runtime_error naming the
/// address when it cannot listen (including a port another process holds: SO_REUSEPORT is
/// off, so two instances cannot silently share one port). The services must outlive it.
class GrpcServer {
 public:
  GrpcServer(std::string host, int port, std::vector<grpc::Service*> services);
  ~GrpcServer();  // Shutdown() if still running
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  void Start();
  /// Stops accepting calls, lets in-flight calls finish up to `grace`, then cancels them.
  /// Idempotent; a stopped server cannot be started again (build a new one).
  void Shutdown(std::chrono::milliseconds grace);
  int port() const;  // the bound port (useful with port 0 in tests); 0 before Start()

 private:
  const std::string address_;  // host:port as given to gRPC ([v6]:port for IPv6 hosts)
  const std::vector<grpc::Service*> services_;
  mutable std::mutex mu_;
  std::unique_ptr<grpc::Server> server_;
  int bound_port_ = 0;
  bool stopped_ = false;
};

}  // namespace reel::rpc
