#include "kit/rpc/etcd_wire.hpp"

#include <gtest/gtest.h>

#include "kit/rpc/etcd_client.hpp"

namespace reel::rpc::etcd_wire {
namespace {

TEST(EtcdWireTest, Base64RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= bytes.size(); n += 7) {
    auto text = Base64Encode(bytes.substr(0, n));
    EXPECT_EQ(text.size() % 4, 0u);
    auto back = Base64Decode(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, bytes.substr(0, n));
  }
  EXPECT_EQ(Base64Encode("a"), "YQ==");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode("/reel/services/"), "L3JlZWwvc2VydmljZXMv");
}

TEST(EtcdWireTest, Base64RejectsMalformedText) {
  EXPECT_FALSE(Base64Decode("YQ=").has_value());       // not a multiple of 4
  EXPECT_FALSE(Base64Decode("Y!==").has_value());      // outside the alphabet
  EXPECT_FALSE(Base64Decode("Y=Q=").has_value());      // data after padding
  EXPECT_FALSE(Base64Decode("YQ==YQ==").has_value());  // padding before the end
  EXPECT_EQ(Base64Decode("").value_or("x"), "");
}

TEST(EtcdWireTest, PrefixEndIsTheFirstKeyPastThePrefix) {
  EXPECT_EQ(PrefixEnd("/reel/user/"), "/reel/user0");
  EXPECT_EQ(PrefixEnd("a\xff"), "b");
  EXPECT_EQ(PrefixEnd("\xff\xff"), std::string(1, '\0'));
  EXPECT_EQ(PrefixEnd(""), std::string(1, '\0'));
}

TEST(EtcdWireTest, ParsesRangeAndLeaseReplies) {
  auto range = ParseReply(
      R"({"header":{"revision":"7"},"kvs":[{"key":"YQ==","mod_revision":"2","value":"Yg=="}],)"
      R"("count":"1"})");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->revision, 7);
  ASSERT_EQ(range->kvs.size(), 1u);
  EXPECT_EQ(range->kvs[0].key, "a");
  EXPECT_EQ(range->kvs[0].value, "b");

  auto alive = ParseReply(R"({"result":{"header":{"revision":"2"},"ID":"42","TTL":"3"}})");
  ASSERT_TRUE(alive.ok());
  EXPECT_EQ(alive->id, 42);
  EXPECT_EQ(alive->ttl, 3);
  // An unknown lease: etcd leaves TTL out (zero) instead of failing.
  auto gone = ParseReply(R"({"result":{"header":{"revision":"2"},"ID":"42"}})");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->ttl, 0);

  EXPECT_EQ(ParseReply("not json").status().code, Code::kUnavailable);
}

TEST(EtcdWireTest, MapsGatewayErrors) {
  Status not_found =
      ErrorStatus(404, R"({"error":"etcdserver: requested lease not found","message":"etcdserver: )"
                       R"(requested lease not found","code":5})");
  EXPECT_EQ(not_found.code, Code::kNotFound);
  EXPECT_EQ(not_found.reason, "ETCD_NOT_FOUND");
  EXPECT_EQ(not_found.message, "etcdserver: requested lease not found");

  Status other = ErrorStatus(400, R"({"error":"bad","message":"bad","code":3})");
  EXPECT_EQ(other.code, Code::kUnavailable);
  EXPECT_EQ(other.reason, "ETCD_ERROR");
  EXPECT_EQ(ErrorStatus(502, "<html>").code, Code::kUnavailable);
}

TEST(EtcdWireTest, ParsesWatchLines) {
  auto created = ParseWatchLine(R"({"result":{"header":{"revision":"2"},"created":true}})");
  EXPECT_EQ(created.kind, WatchLine::Kind::kCreated);

  auto put = ParseWatchLine(
      R"({"result":{"header":{"revision":"3"},"events":[{"kv":{"key":"YQ==","value":"Yg=="}},)"
      R"({"type":"DELETE","kv":{"key":"Yw==","mod_revision":"3"}}]}})");
  ASSERT_EQ(put.kind, WatchLine::Kind::kEvents);
  EXPECT_EQ(put.revision, 3);
  ASSERT_EQ(put.events.size(), 2u);
  EXPECT_FALSE(put.events[0].deleted);
  EXPECT_EQ(put.events[0].key, "a");
  EXPECT_EQ(put.events[0].value, "b");
  EXPECT_TRUE(put.events[1].deleted);
  EXPECT_EQ(put.events[1].key, "c");

  auto canceled = ParseWatchLine(
      R"({"result":{"header":{},"canceled":true,"compact_revision":"9","cancel_reason":"x"}})");
  EXPECT_EQ(canceled.kind, WatchLine::Kind::kCanceled);
  EXPECT_NE(canceled.message.find("revision 9"), std::string::npos);

  auto error = ParseWatchLine(R"({"error":{"grpc_code":14,"message":"transport closing"}})");
  EXPECT_EQ(error.kind, WatchLine::Kind::kError);
  EXPECT_EQ(error.message, "transport closing");
  EXPECT_EQ(ParseWatchLine("{").kind, WatchLine::Kind::kError);
}

TEST(EtcdWireTest, ParsesEndpointLists) {
  EXPECT_EQ(EtcdClient::ParseEndpoints(" 127.0.0.1:2379, http://etcd-1:2379/ ,,"),
            (std::vector<std::string>{"http://127.0.0.1:2379", "http://etcd-1:2379"}));
  EXPECT_TRUE(EtcdClient::ParseEndpoints("").empty());
}

}  // namespace
}  // namespace reel::rpc::etcd_wire
