#pragma once
// The process's span exporter (kit/trace/trace.hpp): ended spans wait in a bounded queue and
// a background thread POSTs them in batches to <endpoint>/v1/traces as an OTLP
// ExportTraceServiceRequest (protobuf) over libcurl. Internal to kit/trace; the rest of reel
// uses Configure, Shutdown and Counts.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kit/trace/trace.hpp"

namespace reel::trace {

/// An ended span, as it is exported.
struct SpanData {
  SpanContext context;
  std::optional<SpanContext> parent;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point end;
  std::vector<std::pair<std::string, AttributeValue>> attributes;
  bool error = false;
  std::string error_message;
};

/// The process's totals (Counts()), kept across exporter restarts.
struct ExportTotals {
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> exported{0};
  std::atomic<std::uint64_t> dropped{0};
};

/// Registers the exporter's Prometheus counters (reel_trace_spans_exported_total,
/// reel_trace_spans_dropped_total). The process's tracer calls it before it owns an exporter,
/// so the registry outlives it at exit.
void RegisterExportMetrics();

/// The serialised ExportTraceServiceRequest for `spans`: one resource (service.name =
/// `service_name`) and one scope ("reel").
std::string EncodeExportRequest(const std::vector<SpanData>& spans,
                                const std::string& service_name);

/// Thread-safe. Enqueue never blocks on the network: a full queue drops the span.
class OtlpExporter {
 public:
  OtlpExporter(TracerOptions options, ExportTotals& totals);
  /// Shutdown(0): what is still queued is dropped and counted.
  ~OtlpExporter();
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  /// Queues `span` for export, or drops and counts it when the queue is full or the exporter
  /// has stopped.
  void Enqueue(SpanData span);
  /// Sends what is queued, for at most `timeout` in all, drops what is left and joins the
  /// thread. Idempotent.
  void Shutdown(std::chrono::milliseconds timeout);

 private:
  struct Queued {
    SpanData span;
    std::chrono::steady_clock::time_point at;
  };

  struct Batch {
    std::vector<SpanData> spans;  // empty: the thread stops
    std::chrono::milliseconds timeout;
  };

  void Run();
  // Waits until a batch is due (batch_size spans, the oldest waited flush_interval, or
  // stopping) and takes it, with the time its request may take.
  Batch NextBatch();
  void CountExported(std::uint64_t count);
  void CountDropped(std::uint64_t count);

  const TracerOptions options_;
  const std::string url_;
  ExportTotals& totals_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};
  // stop_deadline_ for the request in flight, read by libcurl's progress callback without
  // the lock: a Shutdown shorter than the request's own timeout cuts the request short.
  std::atomic<std::chrono::steady_clock::rep> abort_after_{
      std::chrono::steady_clock::time_point::max().time_since_epoch().count()};
  std::mutex shutdown_mutex_;  // serialises Shutdown calls (the join)
  std::thread thread_;
};

}  // namespace reel::trace
