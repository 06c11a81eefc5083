#include "kit/http/trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace reel::http {
namespace {

TrustedProxies Loopback() {
  auto proxies = TrustedProxies::Parse({"127.0.0.0/8", "::1/128"});
  EXPECT_TRUE(proxies.ok()) << proxies.status().message;
  return proxies.ok() ? std::move(proxies).value() : TrustedProxies{};
}

TEST(TrustedProxiesTest, RangesOfBothFamiliesContainTheirAddresses) {
  auto proxies = TrustedProxies::Parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8", " ::1/128 "});
  ASSERT_TRUE(proxies.ok()) << proxies.status().message;
  EXPECT_TRUE(proxies->Contains("10.200.3.4"));
  EXPECT_FALSE(proxies->Contains("11.0.0.1"));
  EXPECT_TRUE(proxies->Contains("192.168.1.7"));  // a bare address is one host
  EXPECT_FALSE(proxies->Contains("192.168.1.8"));
  EXPECT_TRUE(proxies->Contains("fd12:3456::1"));
  EXPECT_FALSE(proxies->Contains("fe80::1"));
  EXPECT_TRUE(proxies->Contains("::1"));
  EXPECT_TRUE(proxies->Contains("::ffff:10.1.2.3"));  // IPv4 seen on an IPv6 socket
  EXPECT_FALSE(proxies->Contains("not an address"));
}

TEST(TrustedProxiesTest, PrefixesCutInsideAByte) {
  auto proxies = TrustedProxies::Parse({"172.16.0.0/12", "127.0.0.1/8"});
  ASSERT_TRUE(proxies.ok());
  EXPECT_TRUE(proxies->Contains("172.31.255.255"));
  EXPECT_FALSE(proxies->Contains("172.32.0.0"));
  EXPECT_FALSE(proxies->Contains("172.15.255.255"));
  EXPECT_TRUE(proxies->Contains("127.9.9.9"));  // host bits under the prefix are ignored
  auto everything = TrustedProxies::Parse({"0.0.0.0/0"});
  ASSERT_TRUE(everything.ok());
  EXPECT_TRUE(everything->Contains("8.8.8.8"));
  EXPECT_FALSE(everything->Contains("2001:db8::1"));  // an IPv4 range holds no IPv6 address
}

TEST(TrustedProxiesTest, InvalidRangesAreRefusedByName) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0/8",
                          "localhost", "1.2.3.4:80", "[::1]/128", "10.0.0.0/-1", "/8"}) {
    auto proxies = TrustedProxies::Parse({"127.0.0.0/8", bad});
    ASSERT_FALSE(proxies.ok()) << bad;
    EXPECT_EQ(proxies.status().reason, "CIDR_INVALID") << bad;
    EXPECT_NE(proxies.status().message.find(bad), std::string::npos) << proxies.status().message;
  }
  auto empty = TrustedProxies::Parse({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(TrustedProxiesTest, WithoutTrustTheHeaderIsIgnored) {
  const TrustedProxies none;
  EXPECT_EQ(none.ClientAddress("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  // A client that is not a trusted proxy cannot name its own address either.
  EXPECT_EQ(Loopback().ClientAddress("203.0.113.9", "198.51.100.1"), "203.0.113.9");
}

TEST(TrustedProxiesTest, TheClientIsTheRightMostUntrustedHop) {
  const TrustedProxies proxies = Loopback();
  // What nginx sends: the client's own header, then the address it saw.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.9"), "203.0.113.9");
  // Trusted hops to the right are skipped, however many.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.9, 127.0.0.5,::1"),
            "203.0.113.9");
  // Several header lines are one list, in order.
  EXPECT_EQ(proxies.ClientAddress("::1", "1.1.1.1,203.0.113.9"), "203.0.113.9");
  // Ports and brackets as some proxies write them; answers in canonical form.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "[2001:DB8::0001]:443"), "2001:db8::1");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "203.0.113.9:5555"), "203.0.113.9");
}

TEST(TrustedProxiesTest, AllTrustedOrUnreadableStopsAtTheLastTrustedHop) {
  const TrustedProxies proxies = Loopback();
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "127.0.0.7, 127.0.0.2"), "127.0.0.7");
  // Garbage where a trusted hop would have written an address: stop believing there.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "203.0.113.9, unknown, 127.0.0.3"), "127.0.0.3");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "203.0.113.9, , "), "127.0.0.1");
  EXPECT_EQ(proxies.ClientAddress("::ffff:127.0.0.1", "203.0.113.9"), "203.0.113.9");
}

}  // namespace
}  // namespace reel::http
