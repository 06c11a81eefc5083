#include "kit/rpc/grpc_server.hpp"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

#include "kit/rpc/channel_set.hpp"
#include "kit/rpc/rpc_test_relay.hpp"

namespace reel::rpc {
namespace {

using namespace std::chrono_literals;
using testing::LocalAddress;
using testing::StartRelayServer;
using testing::TestRelay;

// grpc.health.v1.Health/Check with an empty request (service ""), through the generic
// stub so the test needs no health proto. Returns the raw response bytes.
grpc::Status HealthCheck(int port, std::string* response_bytes) {
  grpc::GenericStub stub(MakeChannel(LocalAddress(port)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 2s);
  grpc::ByteBuffer request;
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      response_bytes->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  return status;
}

TEST(GrpcServerTest, PortZeroBindsAFreePortAndReportsIt) {
  TestRelay relay;
  GrpcServer server("127.0.0.1", 0, {&relay});
  EXPECT_EQ(server.port(), 0);
  server.Start();
  EXPECT_GT(server.port(), 0);
}

TEST(GrpcServerTest, HealthServiceSaysServing) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  std::string bytes;
  const grpc::Status status = HealthCheck(server->port(), &bytes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // HealthCheckResponse{status: SERVING}
}

TEST(GrpcServerTest, SecondServerOnATakenPortFailsToStart) {
  TestRelay relay;
  auto first = StartRelayServer(relay);
  TestRelay other;
  GrpcServer second("127.0.0.1", first->port(), {&other});
  try {
    second.Start();
    FAIL() << "two servers share port " << first->port();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(LocalAddress(first->port())), std::string::npos)
        << e.what();
  }
}

TEST(GrpcServerTest, ShutdownStopsServingAndIsIdempotent) {
  TestRelay relay;
  auto server = StartRelayServer(relay);
  const int port = server->port();
  server->Shutdown(100ms);
  server->Shutdown(100ms);
  std::string bytes;
  EXPECT_EQ(HealthCheck(port, &bytes).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THROW(server->Start(), std::logic_error);
}

TEST(GrpcServerTest, ShutdownCancelsCallsStillRunningAfterGrace) {
  TestRelay relay;
  relay.delay_ms = 5000;
  auto server = StartRelayServer(relay);
  auto stub = rpc_test::v1::Relay::NewStub(MakeChannel(LocalAddress(server->port())));
  auto call = std::async(std::launch::async, [&stub] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    rpc_test::v1::Ack reply;
    return stub->Deliver(&context, rpc_test::v1::Note(), &reply).error_code();
  });
  for (int i = 0; i < 200 && relay.hits == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(relay.hits, 1);
  const auto start = std::chrono::steady_clock::now();
  server->Shutdown(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_NE(call.get(), grpc::StatusCode::OK);
}

}  // namespace
}  // namespace reel::rpc
