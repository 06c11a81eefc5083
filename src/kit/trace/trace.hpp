#pragma once
// Distributed tracing (issue 21): W3C trace context, spans, and their export over OTLP/HTTP
// (protobuf) in batches from a bounded queue. The OpenTelemetry C++ SDK is not packaged in
// Debian; this is the part of it reel needs.
//
// A Span is RAII: constructing one makes it the thread's current span (its children's
// parent), destroying it ends it, restores the previous current span and hands it to the
// exporter when sampled. Propagation across processes goes through the traceparent text
// (HTTP headers, gRPC metadata, bus events): ParseTraceparent on the way in, and a Span or a
// ScopedContext with the parsed context as the parent.
//
// Nothing here blocks a request or throws: with tracing off, spans cost a few branches and
// export nothing; with the queue full, a span is dropped and counted.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace reel::trace {

/// The identity of a span as W3C trace context carries it.
struct SpanContext {
  std::array<std::uint8_t, 16> trace_id{};
  std::array<std::uint8_t, 8> span_id{};
  bool sampled = false;

  /// False for the all-zero ids the specification forbids.
  bool valid() const;
  std::string TraceIdHex() const;  // 32 lower-case hex digits
  std::string SpanIdHex() const;   // 16
};

/// A `traceparent` value ("00-<trace id>-<span id>-<flags>"), or nullopt when it is
/// malformed or has an all-zero id (then the receiver starts a new trace).
std::optional<SpanContext> ParseTraceparent(std::string_view header);
std::string FormatTraceparent(const SpanContext& context);

enum class SpanKind { kInternal, kServer, kClient, kProducer, kConsumer };

struct TracerOptions {
  /// Off by default: spans are still made (logs carry their ids) but none is exported.
  bool enabled = false;
  /// The collector's OTLP/HTTP base URL ("http://127.0.0.1:4318"); spans go to
  /// <endpoint>/v1/traces as application/x-protobuf.
  std::string endpoint;
  /// Of the traces this process starts (no sampled parent), the share kept, 0..1. A
  /// parent's decision is always followed.
  double sample_ratio = 1.0;
  /// The resource's service.name ("reel-feed").
  std::string service_name = "reel";
  /// Spans waiting for export; beyond it new ones are dropped and counted.
  std::size_t queue_capacity = 4096;
  std::size_t batch_size = 512;
  /// How long a span waits at most before its batch is sent.
  std::chrono::milliseconds flush_interval{1000};
  /// Per export request.
  std::chrono::milliseconds timeout{3000};
};

/// Starts (or restarts with new options) the process's exporter. Call once at start-up.
void Configure(const TracerOptions& options);
/// Sends what is queued (up to `timeout`) and stops the exporter. Idempotent.
void Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(2));

/// Spans handed to the exporter, exported, and dropped (queue full or export failed).
struct ExportCounts {
  std::uint64_t queued = 0;
  std::uint64_t exported = 0;
  std::uint64_t dropped = 0;
};
ExportCounts Counts();

/// The context of the span current on this thread, or of the remote parent a
/// ScopedContext set; nullopt when there is none.
std::optional<SpanContext> Current();

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;

class Span {
 public:
  /// A child of `parent` (by default the thread's current context), or the root of a new
  /// trace when there is none; sampled as its parent is, else by sample_ratio.
  explicit Span(std::string_view name, SpanKind kind = SpanKind::kInternal);
  Span(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent);
  ~Span();  // End() when not ended yet
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  void SetAttribute(std::string_view key, std::string_view value);
  void SetAttribute(std::string_view key, const char* value) {
    SetAttribute(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, std::int64_t value);
  void SetAttribute(std::string_view key, int value) { SetAttribute(key, std::int64_t{value}); }
  void SetAttribute(std::string_view key, double value);
  void SetAttribute(std::string_view key, bool value);
  /// Marks the span failed (OTLP status ERROR) with `message`.
  void SetError(std::string_view message);
  /// Ends the span now: restores the previous current context and queues the span.
  void End();

  const SpanContext& context() const { return context_; }

 private:
  SpanContext context_;
  std::optional<SpanContext> parent_;
  std::optional<SpanContext> previous_;  // the thread's current context before this span
  std::string name_;
  SpanKind kind_;
  std::chrono::system_clock::time_point start_;
  std::vector<std::pair<std::string, AttributeValue>> attributes_;
  bool error_ = false;
  std::string error_message_;
  bool ended_ = false;
};

/// Makes `context` the thread's current context (a remote parent: from a header or an
/// event) until destroyed, without a span of its own. A nullopt context changes nothing.
class ScopedContext {
 public:
  explicit ScopedContext(const std::optional<SpanContext>& context);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  bool set_ = false;
  std::optional<SpanContext> previous_;
};

}  // namespace reel::trace
