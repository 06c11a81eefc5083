// RedisClient against the suite's real redis-server (fixture "redis"): each reply type,
// binary-safe values, Lua scripts, errors, and the pool's bound. Keys carry the test's own
// prefix: other tests use the same server at the same time.
#include "kit/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kit/redis/testing/test_redis.hpp"

namespace reel::redis {
namespace {

using Type = RedisReply::Type;

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClient client_{testing::SuiteRedisOptions()};
  const std::string prefix_ = testing::UniquePrefix();
  std::string Key(std::string_view name) const { return prefix_ + std::string(name); }
};

TEST_F(RedisClientTest, RepliesOfEachType) {
  const std::string key = Key("k");
  const RedisReply set = client_.Command({"SET", key, "value", "EX", "60"});
  EXPECT_EQ(set.type(), Type::kStatus);
  EXPECT_EQ(set.str(), "OK");

  const RedisReply get = client_.Command({"GET", key});
  EXPECT_EQ(get.type(), Type::kString);
  EXPECT_EQ(get.str(), "value");

  EXPECT_TRUE(client_.Command({"GET", Key("missing")}).is_nil());

  const RedisReply incr = client_.Command({"INCRBY", Key("n"), "41"});
  ASSERT_EQ(incr.type(), Type::kInteger);
  EXPECT_EQ(incr.integer(), 41);
  EXPECT_EQ(client_.Command({"INCR", Key("n")}).integer(), 42);

  client_.Command({"RPUSH", Key("list"), "a", "", "c"});
  const RedisReply range = client_.Command({"LRANGE", Key("list"), "0", "-1"});
  ASSERT_EQ(range.type(), Type::kArray);
  ASSERT_EQ(range.elements().size(), 3u);
  EXPECT_EQ(range.elements()[0].str(), "a");
  EXPECT_EQ(range.elements()[1].str(), "");
  EXPECT_EQ(range.elements()[2].str(), "c");
  EXPECT_EQ(range.Describe(), "[\"a\", \"\", \"c\"]");

  // A vector of arguments, as callers build them.
  const std::vector<std::string> args = {"HSET", Key("h"), "f1", "v1", "f2", "v2"};
  EXPECT_EQ(client_.Command(args).integer(), 2);
  EXPECT_EQ(client_.Command({"HGET", Key("h"), "f2"}).str(), "v2");

  EXPECT_THROW(range.integer(), std::logic_error);
  EXPECT_THROW(incr.str(), std::logic_error);
}

TEST_F(RedisClientTest, AnErrorReplyIsThrownAsAReplyErrorNotAnOutage) {
  client_.Command({"SET", Key("s"), "not a number"});
  try {
    client_.Command({"INCR", Key("s")});
    FAIL() << "INCR of a string succeeded";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.kind(), RedisError::Kind::kReply);
    EXPECT_EQ(e.error_code(), "ERR");
    EXPECT_EQ(e.status().code, Code::kInternal);
  }
  try {
    client_.Command({"LPUSH", Key("s"), "x"});
    FAIL() << "LPUSH on a string succeeded";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.error_code(), "WRONGTYPE");
  }
  // The connection that carried the errors is still good.
  EXPECT_EQ(client_.Command({"PING"}).str(), "PONG");
  EXPECT_EQ(client_.open_connections(), 1);
}

TEST_F(RedisClientTest, ValuesAreBinarySafe) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += "\r\n$3\r\nend\0tail";  // RESP framing and a NUL inside
  const std::string key = Key(std::string("bin\0key\r\n", 9));
  client_.Command({"SET", key, bytes});
  EXPECT_EQ(client_.Command({"GET", key}).str(), bytes);
  EXPECT_EQ(client_.Command({"STRLEN", key}).integer(), static_cast<std::int64_t>(bytes.size()));

  const std::string large(1 << 20, '\0');
  client_.Command({"SET", Key("large"), large});
  EXPECT_EQ(client_.Command({"GET", Key("large")}).str(), large);
}

TEST_F(RedisClientTest, EvalScriptRunsLuaWithKeysAndArgs) {
  const std::string script =
      "redis.call('SET', KEYS[1], ARGV[1]) "
      "return {redis.call('GET', KEYS[1]), tonumber(ARGV[2]) * 2, redis.error_reply('NOPE inner')}";
  const std::string value("v\0x", 3);
  const RedisReply reply = client_.EvalScript(script, {Key("lua")}, {value, "21"});
  ASSERT_EQ(reply.type(), Type::kArray) << reply.Describe();
  ASSERT_EQ(reply.elements().size(), 3u);
  EXPECT_EQ(reply.elements()[0].str(), value);
  EXPECT_EQ(reply.elements()[1].integer(), 42);
  // An error inside an array stays a value.
  EXPECT_EQ(reply.elements()[2].type(), Type::kError);
  EXPECT_EQ(reply.elements()[2].str(), "NOPE inner");

  // A script's own error at the top level is thrown.
  EXPECT_THROW(client_.EvalScript("return redis.error_reply('BAD thing')", {}, {}), RedisError);
}

TEST_F(RedisClientTest, PoolStaysWithinItsSize) {
  RedisOptions options = testing::SuiteRedisOptions();
  options.pool_size = 3;
  RedisClient client(options);
  constexpr int kThreads = 8;
  constexpr int kIncrements = 200;
  std::vector<std::thread> threads;
  std::atomic<int> most_open{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        client.Command({"INCR", Key("counter")});
        const int now_open = client.open_connections();
        int seen = most_open.load();
        while (now_open > seen && !most_open.compare_exchange_weak(seen, now_open)) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(client.Command({"GET", Key("counter")}).str(), std::to_string(kThreads * kIncrements));
  EXPECT_LE(most_open.load(), 3);
  EXPECT_LE(client.open_connections(), 3);
}

TEST_F(RedisClientTest, CallsWaitForAFreeConnectionThenGiveUp) {
  RedisOptions options = testing::SuiteRedisOptions();
  options.pool_size = 1;
  options.pool_wait = std::chrono::milliseconds(200);
  options.command_timeout = std::chrono::milliseconds(5000);
  RedisClient client(options);
  // BLPOP on a list nobody fills holds the only connection for 1 s.
  std::thread holder([&] { EXPECT_TRUE(client.Command({"BLPOP", Key("empty"), "1"}).is_nil()); });
  for (int i = 0; i < 100 && client.open_connections() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // BLPOP sent
  const auto start = std::chrono::steady_clock::now();
  try {
    client.Command({"PING"});
    ADD_FAILURE() << "a second connection was made beyond pool_size 1";
  } catch (const RedisError& e) {
    EXPECT_TRUE(e.unavailable());
    EXPECT_EQ(e.status().reason, "REDIS_UNAVAILABLE");
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(190));
  EXPECT_LT(waited, std::chrono::milliseconds(700));
  holder.join();
  // Free again: the next call takes the connection the BLPOP gave back.
  EXPECT_EQ(client.Command({"PING"}).str(), "PONG");
  EXPECT_EQ(client.open_connections(), 1);
}

TEST_F(RedisClientTest, PublishCountsItsReceivers) {
  EXPECT_EQ(client_.Publish(Key("nobody-listens"), "hello"), 0);
}

TEST(RedisEndpointTest, ParsesHostAndPort) {
  const RedisEndpoint endpoint = RedisEndpoint::Parse("10.0.0.7:6380");
  EXPECT_EQ(endpoint.host, "10.0.0.7");
  EXPECT_EQ(endpoint.port, 6380);
  EXPECT_EQ(endpoint.ToString(), "10.0.0.7:6380");
  EXPECT_THROW(RedisEndpoint::Parse("localhost"), std::invalid_argument);
  EXPECT_THROW(RedisEndpoint::Parse(":6379"), std::invalid_argument);
  EXPECT_THROW(RedisEndpoint::Parse("host:0"), std::invalid_argument);
  EXPECT_THROW(RedisEndpoint::Parse("host:70000"), std::invalid_argument);
  EXPECT_THROW(RedisEndpoint::Parse("host:63x"), std::invalid_argument);
}

}  // namespace
}  // namespace reel::redis
