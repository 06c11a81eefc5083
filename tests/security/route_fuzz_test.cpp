// The route fuzzer: 20,000 random requests built from the route table (`reel routes`) against
// the real server, from several keep-alive connections at once, within 60 seconds. Every
// request must get an HTTP reply, none a 5xx, every /api and /douyin reply the JSON shape its
// API promises; afterwards the server must still run and answer /healthz.
//
// Seeded: the seed is printed at the start and in every failure with the request's index, and
// SECURITY_FUZZ_SEED=<seed> replays the same sequence (SECURITY_FUZZ_REQUESTS=<n> runs fewer
// or more). Rate limits are off for this server: an honest 429 or 503 from a limiter would
// hide what the fuzzer is looking for.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_helpers.hpp"
#include "fuzz_request.hpp"
#include "harness.hpp"
#include "media_fixtures.hpp"
#include "reply_shape.hpp"
#include "route_table.hpp"

namespace reel::security {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kRequests = 20000;
constexpr auto kTimeLimit = std::chrono::seconds(60);
constexpr int kConnections = 4;
// Distinct failures reported in full; the rest are counted.
constexpr std::size_t kMaxReportedGroups = 40;

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

// Failures grouped by what went wrong, each group with the routes it was seen on, its
// first example and a count.
class FailureLog {
 public:
  void Add(const std::string& group, const std::string& route, const std::string& example) {
    const std::lock_guard lock(mutex_);
    auto [it, inserted] = groups_.try_emplace(group, Entry{0, {}, example});
    ++it->second.count;
    it->second.routes.insert(route);
    ++total_;
  }
  std::uint64_t Total() const { return total_; }
  // One test failure per group (up to kMaxReportedGroups).
  void Report(std::uint64_t seed) const {
    std::size_t reported = 0;
    for (const auto& [group, entry] : groups_) {
      if (++reported > kMaxReportedGroups) {
        ADD_FAILURE() << groups_.size() - kMaxReportedGroups << " more kinds of failure";
        break;
      }
      std::string routes;
      for (const std::string& route : entry.routes) routes += "\n    " + route;
      ADD_FAILURE() << group << ": " << entry.count << " request(s) on" << routes
                    << "\n  the first:\n"
                    << entry.example << "\n  replay: SECURITY_FUZZ_SEED=" << seed;
    }
  }

 private:
  struct Entry {
    std::uint64_t count = 0;
    std::set<std::string> routes{};
    std::string example{};
  };
  std::mutex mutex_;
  std::map<std::string, Entry> groups_;
  std::uint64_t total_ = 0;
};

// What about a request may explain a failure, so that failures of one cause are grouped
// together: a request head over the server's 16 KiB limit, or header values with control
// bytes (both malformed HTTP, which deserves a 431 or 400, not silence).
std::string MalformedHead(const FuzzRequest& request) {
  constexpr std::size_t kHeadLimit = 16 * 1024;
  // Request line, our headers, and the ones curl adds (Host, Accept, Content-Length, ...).
  std::size_t head =
      request.method.size() + request.target.size() + request.content_type.size() + 200;
  bool control = false;
  for (const auto& [name, value] : request.headers) {
    head += name.size() + value.size() + 4;
    for (const char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      control = control || (byte < 0x20 && c != '\t') || byte == 0x7f;
    }
  }
  if (head > kHeadLimit) return " (head over 16 KiB)";
  if (control) return " (control bytes in a header)";
  return "";
}

class RouteFuzz : public e2e::ServerTest {
 protected:
  e2e::ServerOptions Options() const override {
    e2e::ServerOptions options = e2e::KnownSecretOptions();
    options.env["REEL_RATE_LIMIT_ENABLED"] = "false";
    return options;
  }

  // Real users, a video, a comment, a like, a follow and a message, so that a share of the
  // requests carry valid tokens and name objects that exist.
  FuzzContext MakeContext(e2e::MediaFixtures& media) {
    FuzzContext context;
    context.routes = LoadRouteTable();
    e2e::HttpClient& client = Client();
    std::vector<e2e::ApiSession> users;
    for (const char* name : {"fuzz_ann", "fuzz_ben", "fuzz_cat"}) {
      users.push_back(e2e::RegisterApi(client, name, "password"));
      context.access_tokens.push_back(users.back().access_token);
      context.bad_tokens.push_back(users.back().refresh_token);
      context.real_ids.push_back(users.back().user_id);
    }
    for (const e2e::BadToken& bad : e2e::BadTokensFor(users[0].user_id)) {
      context.bad_tokens.push_back(bad.token);
    }
    const auto& clip = media.Get(e2e::MediaKind::kFaststartMp4);
    const std::int64_t video = e2e::ApiPublish(client, users[0].access_token, clip, "fuzz clip");
    context.real_ids.push_back(video);
    const e2e::HttpResponse got = client.Get("/api/video/" + std::to_string(video));
    for (const char* field : {"video.play_url", "video.cover_url"}) {
      const std::string url = e2e::JsonString(got.Json(), field).value_or("");
      if (!url.empty()) context.media_keys.push_back(e2e::LastSegment(url));
    }
    const e2e::Pairs ben = e2e::Bearer(users[1].access_token);
    const std::string on_video = R"({"video_id":)" + std::to_string(video);
    const e2e::HttpResponse comment =
        client.PostJson("/api/comment/create", on_video + R"(,"content":"hi"})", ben);
    context.real_ids.push_back(e2e::JsonInt(comment.Json(), "comment.id").value_or(1));
    client.PostJson("/api/favorite/action", on_video + R"(,"action":"like"})", ben);
    client.PostJson(
        "/api/relation/control",
        R"({"to_user_id":)" + std::to_string(users[0].user_id) + R"(,"action":"follow"})", ben);
    client.PostJson(
        "/api/message/send",
        R"({"to_user_id":)" + std::to_string(users[0].user_id) + R"(,"content":"hello"})", ben);
    context.video_bytes = e2e::ReadBytes(clip);
    context.image_bytes = e2e::ReadBytes(media.Get(e2e::MediaKind::kPngImage));
    return context;
  }
};

TEST_F(RouteFuzz, TwentyThousandRandomRequestsGetWellFormedAnswers) {
  e2e::MediaFixtures media;
  const FuzzContext context = MakeContext(media);
  ASSERT_FALSE(context.routes.empty());
  ASSERT_FALSE(HasFailure()) << "the fuzz world could not be built";

  const std::uint64_t seed = EnvNumber("SECURITY_FUZZ_SEED", std::random_device{}());
  const std::uint64_t count = EnvNumber("SECURITY_FUZZ_REQUESTS", kRequests);
  std::cout << "route fuzzer: seed " << seed << ", " << count << " requests over "
            << context.routes.size() << " routes (replay with SECURITY_FUZZ_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));

  FailureLog failures;
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> done{0};
  const auto start = Clock::now();
  const int port = Server().Port();
  std::vector<std::thread> workers;
  for (int i = 0; i < kConnections; ++i) {
    workers.emplace_back([&] {
      e2e::HttpClient client(port);
      while (Clock::now() - start < kTimeLimit) {
        const std::uint64_t index = next.fetch_add(1);
        if (index >= count) return;
        const FuzzRequest request = MakeFuzzRequest(context, seed, index);
        const e2e::HttpResponse response = client.Request(
            request.method, request.target, request.body, request.content_type, request.headers);
        ++done;
        const Exchange exchange{.method = request.method,
                                .target = request.target,
                                .route = request.route_intact ? request.route : nullptr};
        if (const auto problem = CheckReply(exchange, response)) {
          const std::string where = request.route_intact ? request.route->Name() : "other paths";
          // What about the request may explain a missing answer or a server error;
          // otherwise the status groups like failures.
          const bool unanswered = problem->kind == "no reply" || problem->kind == "5xx";
          std::string cause = unanswered ? MalformedHead(request) : "";
          if (cause.empty() && response.status != 0) {
            cause = " (HTTP " + std::to_string(response.status) + ")";
          }
          failures.Add(problem->kind + cause, where,
                       request.Describe() + "\n  -> " + problem->detail);
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const auto elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "route fuzzer: " << done.load() << " requests in " << elapsed << " s ("
            << static_cast<int>(done.load() / std::max(elapsed, 0.001)) << "/s), "
            << failures.Total() << " failed" << std::endl;

  failures.Report(seed);
  EXPECT_EQ(done.load(), count) << "only " << done.load() << " of " << count << " requests within "
                                << kTimeLimit.count() << " s (seed " << seed << ")";
  // Still alive, still answering.
  EXPECT_FALSE(Server().WaitExit(std::chrono::milliseconds(0)))
      << "the server died during the fuzz run (seed " << seed << ")";
  e2e::HttpClient probe(port);
  EXPECT_EQ(probe.Get("/healthz").status, 200)
      << "no /healthz after the fuzz run (seed " << seed << ")";
  if (e2e::ClusterMode()) {
    const e2e::ProcessResult status = Server().RunClusterScript({"status"});
    EXPECT_EQ(status.exit_code, 0) << "a cluster process is down or not ready:\n" << status.out;
  }
}

}  // namespace
}  // namespace reel::security
