#include "kit/rpc/channel_set.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace reel::rpc {
namespace {

TEST(DynamicChannelSetTest, EmptySetPicksNothing) {
  DynamicChannelSet set;
  EXPECT_EQ(set.Pick(), nullptr);
  EXPECT_TRUE(set.Addresses().empty());
}

TEST(DynamicChannelSetTest, PicksRoundRobin) {
  DynamicChannelSet set({"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"});
  auto first = set.Pick();
  auto second = set.Pick();
  auto third = set.Pick();
  EXPECT_NE(first, second);
  EXPECT_NE(second, third);
  EXPECT_NE(first, third);
  EXPECT_EQ(set.Pick(), first);
  EXPECT_EQ(set.Pick(), second);
}

TEST(DynamicChannelSetTest, UpdateKeepsTheChannelsOfAddressesThatStay) {
  DynamicChannelSet set({"127.0.0.1:1", "127.0.0.1:2"});
  auto one = set.Pick();
  auto two = set.Pick();
  set.Update({"127.0.0.1:2", "127.0.0.1:3"});
  EXPECT_EQ(set.Addresses(), (std::vector<std::string>{"127.0.0.1:2", "127.0.0.1:3"}));
  auto a = set.Pick();
  auto b = set.Pick();
  EXPECT_TRUE(a == two || b == two);  // the same channel object, so its connection lives on
  EXPECT_NE(a, one);
  EXPECT_NE(b, one);
  EXPECT_NE(a, b);
}

TEST(DynamicChannelSetTest, AFailedInstanceRestsWhileAnotherIsAwake) {
  DynamicChannelSet set({"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"}, std::chrono::hours(1));
  auto failed = set.Pick();
  set.ReportFailure(failed.get());
  for (int i = 0; i < 10; ++i) EXPECT_NE(set.Pick(), failed) << "pick " << i;
  // An update that keeps the address keeps its rest.
  set.Update({"127.0.0.1:3", "127.0.0.1:2", "127.0.0.1:1"});
  for (int i = 0; i < 10; ++i) EXPECT_NE(set.Pick(), failed) << "pick after update " << i;
}

TEST(DynamicChannelSetTest, WhenAllRestOneIsPickedAnyway) {
  DynamicChannelSet set({"127.0.0.1:1", "127.0.0.1:2"}, std::chrono::hours(1));
  auto a = set.Pick();
  auto b = set.Pick();
  set.ReportFailure(a.get());
  set.ReportFailure(b.get());
  auto picked = set.Pick();
  EXPECT_TRUE(picked == a || picked == b);
}

TEST(DynamicChannelSetTest, ALoneInstanceNeverRests) {
  DynamicChannelSet set({"127.0.0.1:1"}, std::chrono::hours(1));
  auto only = set.Pick();
  set.ReportFailure(only.get());
  EXPECT_EQ(set.Pick(), only);
}

TEST(DynamicChannelSetTest, ARestEnds) {
  DynamicChannelSet set({"127.0.0.1:1", "127.0.0.1:2"}, std::chrono::milliseconds(1));
  auto failed = set.Pick();
  set.ReportFailure(failed.get());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto a = set.Pick();
  auto b = set.Pick();
  EXPECT_TRUE(a == failed || b == failed);  // back in the rotation
}

TEST(DynamicChannelSetTest, DuplicatesAreKeptOnceInOrder) {
  DynamicChannelSet set({"127.0.0.1:2", "127.0.0.1:1", "127.0.0.1:2"});
  EXPECT_EQ(set.Addresses(), (std::vector<std::string>{"127.0.0.1:2", "127.0.0.1:1"}));
  set.Update({});
  EXPECT_EQ(set.Pick(), nullptr);
}

TEST(MakeChannelSetTest, StaticListKeepsItsOrder) {
  auto set =
      MakeChannelSet("user", "10.0.0.1:9081, 10.0.0.2:9081,[::1]:9081", RpcConfig{}, nullptr);
  EXPECT_EQ(set->Addresses(),
            (std::vector<std::string>{"10.0.0.1:9081", "10.0.0.2:9081", "[::1]:9081"}));
  EXPECT_NE(set->Pick(), nullptr);  // lazy: no server needed to build a channel
}

TEST(MakeChannelSetTest, DnsTargetIsOneBalancedChannel) {
  auto set =
      MakeChannelSet("user", "dns:///user.reel.svc.cluster.local:9081", RpcConfig{}, nullptr);
  EXPECT_EQ(set->Addresses(), std::vector<std::string>{"dns:///user.reel.svc.cluster.local:9081"});
  auto channel = set->Pick();
  EXPECT_NE(channel, nullptr);
  EXPECT_EQ(set->Pick(), channel);
}

TEST(MakeChannelSetTest, MalformedTargetsThrowNamingServiceAndTarget) {
  for (const char* target :
       {"", "localhost", "host:", "host:port", "host:0", "host:70000", "a:1,,b:2", "a:1,",
        "::1:9081", "dns:///", "dns:///name", "http://a:1"}) {
    try {
      (void)MakeChannelSet("video", target, RpcConfig{}, nullptr);
      ADD_FAILURE() << "accepted \"" << target << "\"";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("video"), std::string::npos) << what;
      EXPECT_NE(what.find(std::string("\"") + target + "\""), std::string::npos) << what;
    }
  }
}

TEST(MakeChannelSetTest, EtcdTargetNeedsAnEtcdClient) {
  EXPECT_THROW((void)MakeChannelSet("feed", "etcd", RpcConfig{}, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace reel::rpc
