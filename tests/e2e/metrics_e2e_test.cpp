// GET /metrics on every process (issue 21): after real traffic, the counters say what
// happened, and no label ever takes a value outside its known set, whatever clients send.
#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "interactions_api_fixture.hpp"
#include "sign_in.hpp"

namespace reel::e2e {
namespace {

// One sample of the exposition: `name{labels} value`.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The samples of a text exposition; a line that does not parse is a test failure.
std::vector<Sample> ParseExposition(const std::string& text) {
  std::vector<Sample> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    Sample sample;
    std::size_t i = line.find_first_of("{ ");
    sample.name = line.substr(0, i);
    if (i != std::string::npos && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const std::size_t eq = line.find("=\"", i);
        if (eq == std::string::npos) break;
        const std::string key = line.substr(i, eq - i);
        std::string value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) ++j;
          value.push_back(line[j]);
        }
        sample.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      i = line.find(' ', i);
    }
    EXPECT_NE(i, std::string::npos) << "unparsed exposition line: " << line;
    if (i == std::string::npos) continue;
    sample.value = std::stod(line.substr(i + 1));
    out.push_back(std::move(sample));
  }
  return out;
}

// Every label reel uses, with the values it may take (docs/architecture.md, "Metrics"):
// a set, or a pattern for those whose set is the code's (route patterns, gRPC methods,
// error reasons, cache names).
bool KnownLabelValue(const std::string& label, const std::string& value) {
  static const std::map<std::string, std::set<std::string>> kSets = {
      {"method", {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}},
      {"status", {"1xx", "2xx", "3xx", "4xx", "5xx"}},
      {"code",
       {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED"}},
      {"target", {"user", "video", "feed", "favorite", "comment", "relation", "moderation", "job"}},
      {"group", {"default", "auth", "search", "feed", "job"}},
      {"bucket", {"ip", "user"}},
      {"outcome", {"ok", "refused", "throttled"}},
      {"result", {"hit", "shared_hit", "miss"}},
      {"operation", {"GET", "HEAD", "PUT", "POST", "DELETE", "other"}},  // S3 requests
      {"kind", {"unique_violation", "constraint", "unavailable", "other"}},
      {"command",
       {"EVALSHA", "SCRIPT", "PUBLISH", "GET",        "SET",      "DEL",        "INCR",  "EXPIRE",
        "PING",    "AUTH",   "XADD",    "XREADGROUP", "XACK",     "XAUTOCLAIM", "XINFO", "XGROUP",
        "XRANGE",  "XDEL",   "XTRIM",   "XLEN",       "XPENDING", "XCLAIM",     "HGET",  "HSET",
        "HMGET",   "EXISTS", "SCAN",    "INFO",       "other"}},
      {"le", {}},  // histogram bounds: checked as numbers below
  };
  static const std::map<std::string, std::regex> kPatterns = {
      // A router pattern: literal segments and {name} ones, never an id or a client's path.
      {"route", std::regex(R"(unmatched|(/([a-z_.-]+|\{[a-z_]+(\.\.\.)?\}))*/?)")},
      {"reason", std::regex(R"([A-Z][A-Z_]*)")},
      // The code's cache names ("video.videos"), or a cache built without one.
      {"cache", std::regex(R"([a-z]+\.[a-z_]+|unnamed)")},
      // A database's file stem or schema: configuration, a handful per process.
      {"database", std::regex(R"([A-Za-z0-9_]+)")},
      // A verb and the table the code's SQL names.
      {"statement", std::regex(R"((select|insert|update|delete|replace)( [a-z_0-9]+)?|other)")},
  };
  if (label == "le") return value == "+Inf" || std::regex_match(value, std::regex(R"([0-9.e+-]+)"));
  if (label == "method" && value.rfind("/", 0) == 0) {
    // A gRPC method: one of reel's services, or the standard health service.
    return std::regex_match(value, std::regex(R"(/reel\.[a-z_]+\.v1\.[A-Za-z]+/[A-Za-z]+)")) ||
           value == "/grpc.health.v1.Health/Check" || value == "/grpc.health.v1.Health/Watch";
  }
  if (label == "method" && value == "unknown") return true;
  if (auto set = kSets.find(label); set != kSets.end()) return set->second.contains(value);
  if (auto pattern = kPatterns.find(label); pattern != kPatterns.end()) {
    return std::regex_match(value, pattern->second);
  }
  return false;  // a label nobody listed
}

class MetricsTest : public ApiInteractionTest {
 protected:
  // Every process's samples, by process name.
  std::map<std::string, std::vector<Sample>> ScrapeAll() {
    std::map<std::string, std::vector<Sample>> out;
    for (const auto& [name, port] : Server().ProcessPorts()) {
      HttpClient client(port);
      const HttpResponse reply = client.Get("/metrics");
      EXPECT_EQ(reply.status, 200) << name << ": " << reply.Describe();
      auto type = reply.headers.find("content-type");
      EXPECT_TRUE(type != reply.headers.end() &&
                  type->second.find("text/plain") != std::string::npos)
          << name << ": " << reply.Describe();
      out[name] = ParseExposition(reply.body);
    }
    return out;
  }

  // The sum over every process of `name`'s samples whose labels include `labels`.
  static double Sum(const std::map<std::string, std::vector<Sample>>& all, const std::string& name,
                    const std::map<std::string, std::string>& labels = {}) {
    double sum = 0;
    for (const auto& [process, samples] : all) {
      for (const Sample& s : samples) {
        if (s.name != name) continue;
        bool match = true;
        for (const auto& [k, v] : labels) {
          auto it = s.labels.find(k);
          match = match && it != s.labels.end() && it->second == v;
        }
        if (match) sum += s.value;
      }
    }
    return sum;
  }
};

TEST_F(MetricsTest, CountersFollowTrafficAndEveryLabelStaysInItsSet) {
  const ApiSession ann = NewApiUser("ann");
  const ApiSession ben = NewApiUser("ben");
  const std::int64_t video = PublishVideo(AsDouyin(ann), "counted");
  ASSERT_GT(video, 0);
  ASSERT_TRUE(
      IsApiOk(PostApi("/api/favorite/action", VideoActionJson(video, "like"), ben.access_token)));
  ASSERT_TRUE(IsApiOk(PostApi("/api/comment/create",
                              R"({"video_id":)" + std::to_string(video) + R"(,"content":"hello"})",
                              ben.access_token)));
  ASSERT_TRUE(IsApiOk(
      PostApi("/api/relation/control", UserActionJson(ann.user_id, "follow"), ben.access_token)));
  ASSERT_TRUE(
      IsApiOk(PostApi("/api/message/send",
                      R"({"to_user_id":)" + std::to_string(ann.user_id) + R"(,"content":"hi"})",
                      ben.access_token)));
  EXPECT_EQ(Client().Get("/douyin/feed/").status, 200);
  EXPECT_EQ(Client().Get("/douyin/feed/", Bearer(ben.access_token)).status, 200);
  EXPECT_EQ(PostApi("/api/user/login", R"({"username":"ann","password":"wrong-password"})", "")
                .response.status,
            401);
  // What clients may send to any process: a path never routed, an id, an odd method. None of
  // it may become a label value.
  const std::string odd_path = "/api/no-such-place/zq81x7";
  for (const auto& [name, port] : Server().ProcessPorts()) {
    HttpClient client(port);
    EXPECT_EQ(client.Get(odd_path).status, 404) << name;
    client.Request("BREW", "/api/video/987654321");
  }
  ASSERT_TRUE(Server().WaitForEvents());

  const auto all = ScrapeAll();
  ASSERT_FALSE(all.empty());
  // Every label value within its set, in every process.
  std::set<std::string> reported;
  for (const auto& [process, samples] : all) {
    for (const Sample& s : samples) {
      for (const auto& [label, value] : s.labels) {
        if (!KnownLabelValue(label, value) && reported.insert(label + "=" + value).second) {
          ADD_FAILURE() << process << ": " << s.name << " has " << label << "=\"" << value
                        << "\", outside the label's known set";
        }
      }
    }
  }

  // HTTP: by the route's pattern, never the path.
  EXPECT_GE(Sum(all, "reel_http_requests_total",
                {{"route", "/douyin/feed"}, {"method", "GET"}, {"status", "2xx"}}),
            2);
  EXPECT_GE(Sum(all, "reel_http_requests_total", {{"route", "unmatched"}, {"status", "4xx"}}),
            static_cast<double>(all.size()));
  EXPECT_GE(Sum(all, "reel_http_requests_total", {{"method", "other"}}),
            static_cast<double>(all.size()));
  EXPECT_GE(Sum(all, "reel_http_request_duration_seconds_count", {{"route", "/api/user/login"}}),
            1);
  // What the platform did.
  EXPECT_GE(Sum(all, "reel_registrations_total"), 2);
  EXPECT_GE(Sum(all, "reel_logins_total", {{"outcome", "refused"}}), 1);
  EXPECT_GE(Sum(all, "reel_uploads_total"), 1);
  EXPECT_GT(Sum(all, "reel_upload_bytes_total"), 1000);
  EXPECT_GE(Sum(all, "reel_likes_total"), 1);
  EXPECT_GE(Sum(all, "reel_comments_total"), 1);
  EXPECT_GE(Sum(all, "reel_follows_total"), 1);
  EXPECT_GE(Sum(all, "reel_messages_total"), 1);
  EXPECT_GE(Sum(all, "reel_media_probe_duration_seconds_count"), 1);
  // The bus: published by the outbox relays, handled by the job (the video's events).
  EXPECT_GE(Sum(all, "reel_bus_published_total"), 5);
  EXPECT_GE(Sum(all, "reel_bus_consumed_total", {{"group", "job"}}), 1);
  // Each process's own figures.
  for (const auto& [process, samples] : all) {
    std::map<std::string, std::vector<Sample>> one = {{process, samples}};
    EXPECT_GT(Sum(one, "process_resident_memory_bytes"), 1 << 20) << process;
    EXPECT_GT(Sum(one, "process_open_fds"), 3) << process;
    EXPECT_GE(Sum(one, "process_threads"), 2) << process;
    EXPECT_GT(Sum(one, "process_start_time_seconds"), 1.7e9) << process;
    EXPECT_GT(Sum(one, "process_max_fds"), 0) << process;
  }
  if (ClusterMode()) {
    // The feed asked the video, user, favorite and relation services over gRPC.
    EXPECT_GE(Sum(all, "reel_rpc_client_calls_total", {{"code", "OK"}}), 4);
    EXPECT_GE(Sum(all, "reel_rpc_server_handled_total", {{"code", "OK"}}), 4);
    EXPECT_GE(Sum(all, "reel_rpc_server_duration_seconds_count"), 4);
  }
}

}  // namespace
}  // namespace reel::e2e
