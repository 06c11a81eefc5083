// Traces across the processes (issue 21): with trace.enabled every process exports its spans
// over OTLP/HTTP to a collector (here the test's own, on loopback). A request that arrives
// with a W3C traceparent continues that trace through every service it touches, over gRPC
// and over the bus, and every span of it links to its parent.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "interactions_api_fixture.hpp"
#include "kit/trace/otlp_test_receiver.hpp"

namespace reel::e2e {
namespace {

using trace::testing::OtlpTestReceiver;

// OTLP's span kinds (opentelemetry/proto/trace/v1/trace.proto).
constexpr int kServer = 2;
constexpr int kClient = 3;
constexpr int kConsumer = 5;

std::string RandomHex(std::size_t bytes) {
  static std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 2 * bytes; ++i) out.push_back(kHex[random() % 16]);
  return out;
}

std::string FileText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

// One exported span, flattened.
struct SpanSeen {
  std::string service;  // the resource's service.name
  std::string name;
  int kind = 0;
  std::string span_id;                            // hex
  std::string parent_id;                          // hex; empty for a root
  std::map<std::string, std::string> attributes;  // string values only
};

class TracingTest : public ApiInteractionTest {
 protected:
  ServerOptions Options() const override {
    ServerOptions options = ApiInteractionTest::Options();
    options.env["REEL_TRACE_ENABLED"] = "true";
    options.env["REEL_TRACE_ENDPOINT"] = receiver_.endpoint();
    return options;
  }

  // The spans of trace `trace_id` (hex) received so far.
  std::vector<SpanSeen> SpansOf(const std::string& trace_id) const {
    std::vector<SpanSeen> out;
    for (const auto& request : receiver_.requests()) {
      for (const auto& resource : request.decoded.resource_spans()) {
        std::string service;
        for (const auto& attribute : resource.resource().attributes()) {
          if (attribute.key() == "service.name") service = attribute.value().string_value();
        }
        for (const auto& scope : resource.scope_spans()) {
          for (const auto& span : scope.spans()) {
            if (Hex(span.trace_id()) != trace_id) continue;
            SpanSeen seen{service,
                          span.name(),
                          static_cast<int>(span.kind()),
                          Hex(span.span_id()),
                          Hex(span.parent_span_id()),
                          {}};
            for (const auto& attribute : span.attributes()) {
              seen.attributes[attribute.key()] = attribute.value().string_value();
            }
            out.push_back(std::move(seen));
          }
        }
      }
    }
    return out;
  }

  // Waits (at most 15 s: the exporters send every second) until `done(spans)` holds for
  // the trace's spans; returns them either way.
  template <class Done>
  std::vector<SpanSeen> WaitForTrace(const std::string& trace_id, Done done) {
    std::vector<SpanSeen> spans;
    for (int i = 0; i < 150; ++i) {
      spans = SpansOf(trace_id);
      if (done(spans)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return spans;
  }

  static std::set<std::string> Services(const std::vector<SpanSeen>& spans) {
    std::set<std::string> out;
    for (const SpanSeen& s : spans) out.insert(s.service);
    return out;
  }
  static bool Has(const std::vector<SpanSeen>& spans, const std::string& service, int kind) {
    for (const SpanSeen& s : spans) {
      if (s.service == service && s.kind == kind) return true;
    }
    return false;
  }

  // Every span's parent is the caller's span or another span of the trace: one tree.
  static ::testing::AssertionResult OneTree(const std::vector<SpanSeen>& spans,
                                            const std::string& caller_span) {
    std::set<std::string> ids = {caller_span};
    for (const SpanSeen& s : spans) ids.insert(s.span_id);
    for (const SpanSeen& s : spans) {
      if (!ids.contains(s.parent_id)) {
        return ::testing::AssertionFailure() << s.service << " span '" << s.name << "' has parent "
                                             << s.parent_id << ", which is no span of the trace";
      }
    }
    return ::testing::AssertionSuccess();
  }

  static std::string Describe(const std::vector<SpanSeen>& spans) {
    std::string out;
    for (const SpanSeen& s : spans) {
      out += "\n  " + s.service + " kind " + std::to_string(s.kind) + " '" + s.name + "' " +
             s.span_id + " <- " + s.parent_id;
    }
    return out;
  }

  // A request carrying `traceparent`: the trace id and the caller's span id it names.
  struct Caller {
    std::string trace_id = RandomHex(16);
    std::string span_id = RandomHex(8);
    Pairs Header(std::string_view token = {}) const {
      Pairs headers = {{"traceparent", "00-" + trace_id + "-" + span_id + "-01"}};
      if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
      return headers;
    }
  };

  OtlpTestReceiver receiver_;
};

TEST_F(TracingTest, ASignedInFeedIsOneTraceAcrossEveryServiceItAsks) {
  const ApiSession ann = NewApiUser("ann");
  const ApiSession ben = NewApiUser("ben");
  ASSERT_GT(PublishVideo(AsDouyin(ann), "traced"), 0);
  ASSERT_TRUE(IsApiOk(
      PostApi("/api/relation/control", UserActionJson(ann.user_id, "follow"), ben.access_token)));

  const Caller caller;
  const HttpResponse feed = Client().Get("/api/feed", caller.Header(ben.access_token));
  ASSERT_EQ(feed.status, 200) << feed.Describe();
  // The answer names the trace it joined.
  ASSERT_TRUE(feed.headers.contains("x-trace-id"));
  EXPECT_EQ(feed.headers.at("x-trace-id"), caller.trace_id);

  const std::set<std::string> wanted =
      ClusterMode() ? std::set<std::string>{"reel-feed", "reel-video", "reel-user", "reel-favorite",
                                            "reel-relation"}
                    : std::set<std::string>{"reel-all"};
  const auto spans = WaitForTrace(caller.trace_id, [&](const std::vector<SpanSeen>& s) {
    const std::set<std::string> services = Services(s);
    return std::includes(services.begin(), services.end(), wanted.begin(), wanted.end()) &&
           OneTree(s, caller.span_id);  // each process exports on its own: all of them
  });
  const std::set<std::string> services = Services(spans);
  EXPECT_TRUE(std::includes(services.begin(), services.end(), wanted.begin(), wanted.end()))
      << Describe(spans);
  EXPECT_TRUE(OneTree(spans, caller.span_id)) << Describe(spans);
  // The HTTP server span is the caller's child, named by the route's pattern.
  bool http_root = false;
  for (const SpanSeen& s : spans) {
    if (s.kind == kServer && s.parent_id == caller.span_id) {
      auto route = s.attributes.find("http.route");
      http_root = route != s.attributes.end() && route->second == "/api/feed";
    }
  }
  EXPECT_TRUE(http_root) << Describe(spans);
  if (ClusterMode()) {
    // Each call: the feed's client span, the callee's server span its child.
    EXPECT_TRUE(Has(spans, "reel-feed", kClient)) << Describe(spans);
    for (const char* callee : {"reel-video", "reel-user", "reel-favorite", "reel-relation"}) {
      EXPECT_TRUE(Has(spans, callee, kServer)) << callee << Describe(spans);
    }
  }
  // Its log lines say which trace they belong to.
  std::string log = ClusterMode() ? "" : Server().Log();
  if (ClusterMode()) {  // feed.log, or feed.1.log, feed.2.log ... with replicas
    for (const auto& entry : std::filesystem::directory_iterator(Server().DataDir() / "logs")) {
      if (entry.path().filename().string().starts_with("feed")) log += FileText(entry.path());
    }
  }
  EXPECT_NE(log.find("\"trace_id\":\"" + caller.trace_id + "\""), std::string::npos);
}

TEST_F(TracingTest, ALikeAndADeleteCarryTheirTraceOverTheBus) {
  const ApiSession ann = NewApiUser("ann");
  const ApiSession ben = NewApiUser("ben");
  const std::int64_t video = PublishVideo(AsDouyin(ann), "traced");
  ASSERT_GT(video, 0);

  // A like: the favorite service's write, its event, and the feed's consumer of it.
  const Caller like;
  const HttpResponse liked = Client().PostJson(
      "/api/favorite/action", VideoActionJson(video, "like"), like.Header(ben.access_token));
  ASSERT_EQ(liked.status, 200) << liked.Describe();
  const std::string writer = ClusterMode() ? "reel-favorite" : "reel-all";
  const auto like_spans = WaitForTrace(like.trace_id, [&](const std::vector<SpanSeen>& s) {
    return Has(s, writer, kServer) && Has(s, ClusterMode() ? "reel-feed" : "reel-all", kConsumer) &&
           OneTree(s, like.span_id);
  });
  EXPECT_TRUE(Has(like_spans, ClusterMode() ? "reel-feed" : "reel-all", kConsumer))
      << Describe(like_spans);
  EXPECT_TRUE(OneTree(like_spans, like.span_id)) << Describe(like_spans);

  // A delete: the video service's write, its event, the job's consumer, and the job's calls
  // that remove the video's likes and comments.
  const Caller remove;
  const HttpResponse deleted = Client().Request("DELETE", "/api/video/" + std::to_string(video), "",
                                                "", remove.Header(ann.access_token));
  ASSERT_EQ(deleted.status, 200) << deleted.Describe();
  const auto delete_spans = WaitForTrace(remove.trace_id, [&](const std::vector<SpanSeen>& s) {
    const bool all_there = ClusterMode() ? Has(s, "reel-job", kConsumer) &&
                                               Has(s, "reel-favorite", kServer) &&
                                               Has(s, "reel-comment", kServer)
                                         : Has(s, "reel-all", kConsumer);
    return all_there && OneTree(s, remove.span_id);
  });
  if (ClusterMode()) {
    EXPECT_TRUE(Has(delete_spans, "reel-video", kServer)) << Describe(delete_spans);
    EXPECT_TRUE(Has(delete_spans, "reel-job", kConsumer)) << Describe(delete_spans);
    EXPECT_TRUE(Has(delete_spans, "reel-job", kClient)) << Describe(delete_spans);
    EXPECT_TRUE(Has(delete_spans, "reel-favorite", kServer)) << Describe(delete_spans);
    EXPECT_TRUE(Has(delete_spans, "reel-comment", kServer)) << Describe(delete_spans);
  } else {
    EXPECT_TRUE(Has(delete_spans, "reel-all", kConsumer)) << Describe(delete_spans);
  }
  EXPECT_TRUE(OneTree(delete_spans, remove.span_id)) << Describe(delete_spans);
}

TEST_F(TracingTest, AMalformedTraceparentStartsANewTraceInsteadOfFailing) {
  const HttpResponse reply = Client().Get("/api/feed", {{"traceparent", "00-not-a-trace-id-01"}});
  ASSERT_EQ(reply.status, 200) << reply.Describe();
  ASSERT_TRUE(reply.headers.contains("x-trace-id"));
  const std::string trace_id = reply.headers.at("x-trace-id");
  EXPECT_EQ(trace_id.size(), 32u);
  // Done once the HTTP span (the root) is there and every span's parent with it.
  const auto spans = WaitForTrace(trace_id, [](const std::vector<SpanSeen>& s) {
    return OneTree(s, "") &&
           std::ranges::any_of(s, [](const SpanSeen& span) { return span.parent_id.empty(); });
  });
  ASSERT_FALSE(spans.empty());
  EXPECT_TRUE(OneTree(spans, "")) << "the root has no parent" << Describe(spans);
}

}  // namespace
}  // namespace reel::e2e
