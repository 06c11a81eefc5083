// The exporter against a real HTTP receiver on 127.0.0.1 (otlp_test_receiver.hpp): what
// arrives is decoded as OTLP and checked field by field.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "kit/metrics/metrics.hpp"
#include "kit/trace/otlp_test_receiver.hpp"
#include "kit/trace/trace.hpp"

namespace reel::trace {
namespace {

using namespace std::chrono_literals;
using testing::OtlpTestReceiver;
namespace otlp = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;
using Steady = std::chrono::steady_clock;

template <std::size_t N>
std::string Bytes(const std::array<std::uint8_t, N>& id) {
  return std::string(reinterpret_cast<const char*>(id.data()), N);
}

TracerOptions Exporting(const std::string& endpoint) {
  TracerOptions options;
  options.enabled = true;
  options.endpoint = endpoint;
  options.service_name = "reel-trace-test";
  options.flush_interval = 50ms;
  options.timeout = 2000ms;
  return options;
}

// Every span the receiver got, by name.
std::map<std::string, otlp::Span> SpansByName(const OtlpTestReceiver& receiver) {
  std::map<std::string, otlp::Span> spans;
  for (const auto& request : receiver.requests()) {
    for (const auto& resource : request.decoded.resource_spans()) {
      for (const auto& scope : resource.scope_spans()) {
        for (const auto& span : scope.spans()) spans[span.name()] = span;
      }
    }
  }
  return spans;
}

std::map<std::string, otlp_common::AnyValue> Attributes(
    const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& pairs) {
  std::map<std::string, otlp_common::AnyValue> out;
  for (const auto& pair : pairs) out[pair.key()] = pair.value();
  return out;
}

// A counter's value in the process's Prometheus exposition ("name value" line).
double Scraped(const std::string& name) {
  const std::string text = metrics::Scrape();
  const std::size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

ExportCounts Since(const ExportCounts& before) {
  const ExportCounts now = Counts();
  return ExportCounts{now.queued - before.queued, now.exported - before.exported,
                      now.dropped - before.dropped};
}

class OtlpExporterTest : public ::testing::Test {
 protected:
  void TearDown() override {
    Shutdown();
    Configure(TracerOptions{});
  }
};

TEST_F(OtlpExporterTest, SendsSpansWithIdsParentsAttributesAndStatus) {
  OtlpTestReceiver receiver;
  Configure(Exporting(receiver.endpoint()));
  const ExportCounts before = Counts();
  const auto remote = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  SpanContext server_context;
  SpanContext client_context;
  const auto started = std::chrono::system_clock::now();
  {
    ScopedContext incoming(remote);
    Span server("GET /feed", SpanKind::kServer);
    server.SetAttribute("http.method", "GET");
    server.SetAttribute("http.status_code", 200);
    server.SetAttribute("feed.score", 0.25);
    server.SetAttribute("feed.cached", true);
    server.SetAttribute("http.status_code", 503);  // a key set twice keeps the last value
    server_context = server.context();
    Span client("video.GetVideos", SpanKind::kClient);
    client.SetError("deadline exceeded");
    client_context = client.context();
  }
  ASSERT_TRUE(receiver.WaitForSpans(2, 5s));

  const auto requests = receiver.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/v1/traces");
  EXPECT_EQ(requests[0].content_type, "application/x-protobuf");
  ASSERT_TRUE(requests[0].decoded_ok);
  ASSERT_EQ(requests[0].decoded.resource_spans_size(), 1);
  const auto& resource_spans = requests[0].decoded.resource_spans(0);
  auto resource = Attributes(resource_spans.resource().attributes());
  EXPECT_EQ(resource["service.name"].string_value(), "reel-trace-test");
  ASSERT_EQ(resource_spans.scope_spans_size(), 1);
  EXPECT_EQ(resource_spans.scope_spans(0).scope().name(), "reel");

  auto spans = SpansByName(receiver);
  ASSERT_EQ(spans.size(), 2u);
  const otlp::Span& server = spans["GET /feed"];
  EXPECT_EQ(server.trace_id(), Bytes(remote->trace_id));
  EXPECT_EQ(server.span_id(), Bytes(server_context.span_id));
  EXPECT_EQ(server.parent_span_id(), Bytes(remote->span_id));
  EXPECT_EQ(server.kind(), otlp::Span::SPAN_KIND_SERVER);
  auto attributes = Attributes(server.attributes());
  EXPECT_EQ(server.attributes_size(), 4);
  EXPECT_EQ(attributes["http.method"].string_value(), "GET");
  EXPECT_EQ(attributes["http.status_code"].int_value(), 503);
  EXPECT_DOUBLE_EQ(attributes["feed.score"].double_value(), 0.25);
  EXPECT_TRUE(attributes["feed.cached"].bool_value());
  EXPECT_EQ(server.status().code(), otlp::Status::STATUS_CODE_UNSET);
  const auto started_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(started.time_since_epoch()).count());
  EXPECT_GE(server.start_time_unix_nano(), started_ns);
  EXPECT_GE(server.end_time_unix_nano(), server.start_time_unix_nano());

  const otlp::Span& client = spans["video.GetVideos"];
  EXPECT_EQ(client.trace_id(), Bytes(remote->trace_id));
  EXPECT_EQ(client.span_id(), Bytes(client_context.span_id));
  EXPECT_EQ(client.parent_span_id(), Bytes(server_context.span_id));
  EXPECT_EQ(client.kind(), otlp::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(client.status().code(), otlp::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(client.status().message(), "deadline exceeded");
  // The child ended first, inside its parent's time.
  EXPECT_GE(client.start_time_unix_nano(), server.start_time_unix_nano());
  EXPECT_LE(client.end_time_unix_nano(), server.end_time_unix_nano());

  Shutdown();
  const ExportCounts counts = Since(before);
  EXPECT_EQ(counts.queued, 2u);
  EXPECT_EQ(counts.exported, 2u);
  EXPECT_EQ(counts.dropped, 0u);
}

TEST_F(OtlpExporterTest, ARootSpanHasNoParentId) {
  OtlpTestReceiver receiver;
  Configure(Exporting(receiver.endpoint()));
  { Span root("root"); }
  ASSERT_TRUE(receiver.WaitForSpans(1, 5s));
  const otlp::Span root = SpansByName(receiver)["root"];
  EXPECT_EQ(root.trace_id().size(), 16u);
  EXPECT_EQ(root.span_id().size(), 8u);
  EXPECT_TRUE(root.parent_span_id().empty());
  EXPECT_EQ(root.kind(), otlp::Span::SPAN_KIND_INTERNAL);
}

TEST_F(OtlpExporterTest, SendsFullBatchesWithoutWaitingForTheInterval) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.batch_size = 5;
  options.flush_interval = 60s;  // only a full batch can be sent within this test
  Configure(options);
  for (int i = 0; i < 10; ++i) Span("span " + std::to_string(i));
  ASSERT_TRUE(receiver.WaitForSpans(10, 5s));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    ASSERT_TRUE(request.decoded_ok);
    EXPECT_EQ(request.decoded.resource_spans(0).scope_spans(0).spans_size(), 5);
  }
  EXPECT_EQ(SpansByName(receiver).size(), 10u);
}

TEST_F(OtlpExporterTest, SendsAPartialBatchAfterTheFlushInterval) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.batch_size = 100;
  options.flush_interval = 100ms;
  Configure(options);
  const auto start = Steady::now();
  for (int i = 0; i < 3; ++i) Span("span " + std::to_string(i));
  ASSERT_TRUE(receiver.WaitForSpans(3, 5s));
  EXPECT_GE(Steady::now() - start, 90ms);
  ASSERT_EQ(receiver.requests().size(), 1u);  // the three together
}

TEST_F(OtlpExporterTest, ShutdownFlushesWhatIsQueued) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.batch_size = 100;
  options.flush_interval = 60s;
  Configure(options);
  const ExportCounts before = Counts();
  for (int i = 0; i < 7; ++i) Span("span " + std::to_string(i));
  EXPECT_EQ(receiver.span_count(), 0u);  // nothing is due before the interval
  Shutdown(2s);
  EXPECT_EQ(receiver.span_count(), 7u);
  const ExportCounts counts = Since(before);
  EXPECT_EQ(counts.exported, 7u);
  EXPECT_EQ(counts.dropped, 0u);

  Shutdown(2s);                     // idempotent
  { Span late("after shutdown"); }  // exporting is off now: not even queued
  EXPECT_EQ(Since(before).queued, 7u);
}

TEST_F(OtlpExporterTest, AShutdownWithoutALimitFlushesAndReturns) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.flush_interval = 60s;
  Configure(options);
  for (int i = 0; i < 3; ++i) Span("span " + std::to_string(i));
  Shutdown(std::chrono::milliseconds::max());  // the deadline must not overflow the clock
  EXPECT_EQ(receiver.span_count(), 3u);
}

TEST_F(OtlpExporterTest, AFullQueueDropsAndCounts) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.queue_capacity = 10;
  options.batch_size = 1000;
  options.flush_interval = 60s;
  Configure(options);
  const ExportCounts before = Counts();
  const double dropped_metric = std::max(0.0, Scraped("reel_trace_spans_dropped_total"));
  for (int i = 0; i < 100; ++i) Span("span " + std::to_string(i));
  ExportCounts counts = Since(before);
  EXPECT_EQ(counts.queued, 100u);
  EXPECT_EQ(counts.dropped, 90u);
  EXPECT_DOUBLE_EQ(Scraped("reel_trace_spans_dropped_total"), dropped_metric + 90);

  Shutdown(2s);
  counts = Since(before);
  EXPECT_EQ(counts.exported, 10u);
  EXPECT_EQ(counts.dropped, 90u);
  EXPECT_EQ(receiver.span_count(), 10u);
}

TEST_F(OtlpExporterTest, ADeadCollectorNeverBlocksSpansAndItsBatchesAreDropped) {
  TracerOptions options = Exporting("http://127.0.0.1:" + std::to_string(testing::ClosedPort()));
  options.queue_capacity = 100;
  options.batch_size = 10;
  options.flush_interval = 10ms;
  options.timeout = 200ms;
  Configure(options);
  const ExportCounts before = Counts();
  const double exported_metric = std::max(0.0, Scraped("reel_trace_spans_exported_total"));
  const double dropped_metric = std::max(0.0, Scraped("reel_trace_spans_dropped_total"));

  const auto start = Steady::now();
  for (int i = 0; i < 1000; ++i) {
    Span span("span");
    span.SetAttribute("i", i);
  }
  EXPECT_LT(Steady::now() - start, 2s);  // generous: End only queues or drops

  const auto shutdown_start = Steady::now();
  Shutdown(1s);
  EXPECT_LT(Steady::now() - shutdown_start, 3s);
  const ExportCounts counts = Since(before);
  EXPECT_EQ(counts.queued, 1000u);
  EXPECT_EQ(counts.exported, 0u);
  EXPECT_EQ(counts.dropped, 1000u);  // queue full, failed exports, or left at shutdown
  EXPECT_DOUBLE_EQ(Scraped("reel_trace_spans_dropped_total"), dropped_metric + 1000);
  EXPECT_DOUBLE_EQ(std::max(0.0, Scraped("reel_trace_spans_exported_total")), exported_metric);
}

TEST_F(OtlpExporterTest, AnErrorAnswerDropsTheBatchWithoutRetrying) {
  OtlpTestReceiver receiver(OtlpTestReceiver::Options{.status = 503});
  Configure(Exporting(receiver.endpoint()));
  const ExportCounts before = Counts();
  for (int i = 0; i < 3; ++i) Span("span " + std::to_string(i));
  ASSERT_TRUE(receiver.WaitForSpans(3, 5s));
  Shutdown(2s);
  const ExportCounts counts = Since(before);
  EXPECT_EQ(counts.exported, 0u);
  EXPECT_EQ(counts.dropped, 3u);
  EXPECT_EQ(receiver.span_count(), 3u);  // sent once, not again
}

TEST_F(OtlpExporterTest, AHungCollectorCostsOneTimeoutPerBatch) {
  OtlpTestReceiver receiver(OtlpTestReceiver::Options{.answer = false});
  TracerOptions options = Exporting(receiver.endpoint());
  options.timeout = 200ms;
  Configure(options);
  const ExportCounts before = Counts();
  const auto start = Steady::now();
  for (int i = 0; i < 3; ++i) Span("span " + std::to_string(i));
  EXPECT_LT(Steady::now() - start, 1s);  // generous: ending a span only queues it
  ASSERT_TRUE(receiver.WaitForSpans(3, 5s));
  // The request times out and its batch is dropped; bounded wait for that.
  for (int i = 0; i < 100 && Since(before).dropped < 3; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(Since(before).dropped, 3u);
  EXPECT_EQ(Since(before).exported, 0u);
}

TEST_F(OtlpExporterTest, ShutdownCutsARequestInFlightShortAtItsDeadline) {
  OtlpTestReceiver receiver(OtlpTestReceiver::Options{.answer = false});
  TracerOptions options = Exporting(receiver.endpoint());
  options.timeout = 30s;  // the request alone would hold Shutdown for this long
  options.flush_interval = 10ms;
  Configure(options);
  const ExportCounts before = Counts();
  { Span span("stuck"); }
  ASSERT_TRUE(receiver.WaitForSpans(1, 5s));  // the request is in flight, never answered
  const auto start = Steady::now();
  Shutdown(200ms);
  // libcurl looks at the deadline about once a second while it waits.
  EXPECT_LT(Steady::now() - start, 3s);
  EXPECT_EQ(Since(before).dropped, 1u);
}

TEST_F(OtlpExporterTest, UnsampledSpansAreNotExported) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.sample_ratio = 0.0;
  Configure(options);
  const ExportCounts before = Counts();
  { Span root("unsampled root"); }
  {
    ScopedContext incoming(
        ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    Span sampled("sampled by its parent");
  }
  ASSERT_TRUE(receiver.WaitForSpans(1, 5s));
  Shutdown(2s);
  EXPECT_EQ(Since(before).queued, 1u);
  auto spans = SpansByName(receiver);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans.begin()->first, "sampled by its parent");
}

TEST_F(OtlpExporterTest, DisabledExportQueuesNothing) {
  OtlpTestReceiver receiver;
  TracerOptions options = Exporting(receiver.endpoint());
  options.enabled = false;
  Configure(options);
  const ExportCounts before = Counts();
  {
    Span root("root");
    EXPECT_TRUE(root.context().valid());
  }
  Shutdown(2s);
  EXPECT_EQ(Since(before).queued, 0u);
  EXPECT_EQ(receiver.span_count(), 0u);
}

}  // namespace
}  // namespace reel::trace
