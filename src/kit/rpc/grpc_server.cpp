#include "kit/rpc/grpc_server.hpp"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <stdexcept>

#include "kit/rpc/rpc_metrics.hpp"

namespace reel::rpc {
namespace {

std::string ListenAddress(const std::string& host, int port) {
  const bool bare_v6 = host.find(':') != std::string::npos && host.front() != '[';
  return (bare_v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

GrpcServer::GrpcServer(std::string host, int port, std::vector<grpc::Service*> services)
    : address_(ListenAddress(host, port)), services_(std::move(services)) {}

GrpcServer::~GrpcServer() {
  Shutdown(std::chrono::seconds(1));
}

void GrpcServer::Start() {
  std::lock_guard lock(mu_);
  if (server_ || stopped_) {
    throw std::logic_error("gRPC server on " + address_ + " was already started");
  }
  // Process-wide switch, read by every ServerBuilder built after it.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(address_, grpc::InsecureServerCredentials(), &selected_port);
  // Without this gRPC sets SO_REUSEPORT, and a second process on the same port would
  // share it silently instead of failing.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Our clients ping every 30 s while calls are open (channel_set.cpp); accept that.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  builder.experimental().SetInterceptorCreators(ServerMetricsInterceptors());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || selected_port == 0) {
    throw std::runtime_error("gRPC server cannot listen on " + address_);
  }
  if (auto* health = server->GetHealthCheckService()) health->SetServingStatus(true);
  server_ = std::move(server);
  bound_port_ = selected_port;
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  std::lock_guard lock(mu_);
  if (!server_) return;
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  server_.reset();
  stopped_ = true;
}

int GrpcServer::port() const {
  std::lock_guard lock(mu_);
  return bound_port_;
}

}  // namespace reel::rpc
