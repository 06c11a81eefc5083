// RedisClient against a redis-server of the test's own (scripts/engines), which the tests
// kill, stop (SIGSTOP) and restart: calls fail as unavailable within the timeouts, never
// hang, and succeed again once the server is back, on the same client. Also the script
// cache, counted by the server's own statistics (which other tests would disturb).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>

#include "kit/redis/redis_client.hpp"
#include "kit/redis/testing/test_redis.hpp"

namespace reel::redis {
namespace {

using Clock = std::chrono::steady_clock;

// The milliseconds a call took until it threw RedisError unavailable (-1 when it did not).
template <typename Call>
long long MillisUntilUnavailable(Call call) {
  const auto start = Clock::now();
  try {
    call();
  } catch (const RedisError& e) {
    if (!e.unavailable() || e.status().reason != "REDIS_UNAVAILABLE") return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  }
  return -1;
}

// "calls" of each entry of INFO commandstats ("script|load" -> 2).
std::map<std::string, long long> CommandCalls(RedisClient& client) {
  std::map<std::string, long long> calls;
  std::istringstream info(client.Command({"INFO", "commandstats"}).str());
  std::string line;
  while (std::getline(info, line)) {
    // cmdstat_evalsha:calls=3,usec=...
    const auto colon = line.find(':');
    if (!line.starts_with("cmdstat_") || colon == std::string::npos) continue;
    const auto value = line.find("calls=", colon);
    if (value == std::string::npos) continue;
    calls[line.substr(8, colon - 8)] = std::stoll(line.substr(value + 6));
  }
  return calls;
}

TEST(RedisClientFaultTest, KilledServerIsUnavailableWithinTheTimeoutThenBackOnTheSameClient) {
  testing::OwnRedis server;
  RedisClient client(server.Options());
  client.Command({"SET", "k", "v"});
  ASSERT_EQ(client.open_connections(), 1);

  server.Kill();
  const long long down_ms = MillisUntilUnavailable([&] { client.Command({"GET", "k"}); });
  EXPECT_GE(down_ms, 0) << "the call did not fail as unavailable";
  EXPECT_LT(down_ms, 500);                  // refused at once; connect_timeout is 500 ms
  EXPECT_EQ(client.open_connections(), 0);  // the dead connection was dropped
  // Still down: each call tries again and fails as fast.
  EXPECT_GE(MillisUntilUnavailable([&] { client.Command({"PING"}); }), 0);

  server.Start();
  // The next call succeeds: no new client, no failed call first.
  EXPECT_EQ(client.Command({"PING"}).str(), "PONG");
  EXPECT_TRUE(client.Command({"GET", "k"}).is_nil());  // not durable: the restart emptied it
}

TEST(RedisClientFaultTest, ARestartBetweenCallsCostsNoFailedCall) {
  testing::OwnRedis server;
  RedisClient client(server.Options());
  client.Command({"SET", "k", "v"});
  // The pooled connection is dead by the time of the next call, which must notice it
  // before sending anything on it.
  server.Kill();
  server.Start();
  EXPECT_EQ(client.Command({"SET", "k", "again"}).str(), "OK");
  EXPECT_EQ(client.Command({"GET", "k"}).str(), "again");
  EXPECT_EQ(client.open_connections(), 1);
}

TEST(RedisClientFaultTest, HungServerTimesOutInsteadOfHanging) {
  testing::OwnRedis server;
  RedisOptions options = server.Options();
  options.command_timeout = std::chrono::milliseconds(300);
  RedisClient client(options);
  client.Command({"PING"});
  const int pid = server.Pid();
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  // On the pooled connection (the reply never comes), then on a new one (the kernel
  // accepts the connection, but AUTH is never answered).
  const long long pooled_ms = MillisUntilUnavailable([&] { client.Command({"PING"}); });
  const long long fresh_ms = MillisUntilUnavailable([&] { client.Command({"PING"}); });
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  EXPECT_GE(pooled_ms, 250);
  EXPECT_LT(pooled_ms, 1000);
  EXPECT_GE(fresh_ms, 250);
  EXPECT_LT(fresh_ms, 1500);
  // Resumed: the timed-out connections were dropped, so no late reply is read as this one's.
  EXPECT_EQ(client.Command({"ECHO", "after"}).str(), "after");
}

TEST(RedisClientFaultTest, WrongPasswordIsUnavailable) {
  testing::OwnRedis server;
  RedisOptions options = server.Options();
  options.password = "not-the-password";
  RedisClient client(options);
  EXPECT_GE(MillisUntilUnavailable([&] { client.Command({"PING"}); }), 0);
}

TEST(RedisClientFaultTest, ScriptIsLoadedOnceThenRunByItsHashEvenAfterAFlush) {
  testing::OwnRedis server;
  RedisClient client(server.Options());
  const std::string script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  client.Command({"CONFIG", "RESETSTAT"});
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"1"}).integer(), 1);
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"2"}).integer(), 3);
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"3"}).integer(), 6);
  auto calls = CommandCalls(client);
  EXPECT_EQ(calls["script|load"], 1);
  EXPECT_EQ(calls["evalsha"], 3);
  EXPECT_EQ(calls["eval"], 0);

  // The server forgets its scripts (as a restart does): the next call loads it again.
  client.Command({"SCRIPT", "FLUSH"});
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"4"}).integer(), 10);
  calls = CommandCalls(client);
  EXPECT_EQ(calls["script|load"], 2);
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"5"}).integer(), 15);
  EXPECT_EQ(CommandCalls(client)["script|load"], 2);

  // After a restart too.
  server.Kill();
  server.Start();
  EXPECT_EQ(client.EvalScript(script, {"n"}, {"7"}).integer(), 7);
}

}  // namespace
}  // namespace reel::redis
