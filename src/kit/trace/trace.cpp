#include "kit/trace/trace.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <random>

#include "kit/trace/otlp_exporter.hpp"

namespace reel::trace {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

template <std::size_t N>
std::string ToHex(const std::array<std::uint8_t, N>& bytes) {
  std::string hex(2 * N, '0');
  for (std::size_t i = 0; i < N; ++i) {
    hex[2 * i] = kHexDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kHexDigits[bytes[i] & 0xf];
  }
  return hex;
}

// Lower-case only: W3C trace context forbids upper-case hex in traceparent.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <std::size_t N>
bool FromHex(std::string_view hex, std::array<std::uint8_t, N>& out) {
  if (hex.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

template <std::size_t N>
bool AllZero(const std::array<std::uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// One generator per thread: no lock on the span path, and seeded from the OS so processes
// started together do not share ids.
std::mt19937_64& Random() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return generator;
}

template <std::size_t N>
std::array<std::uint8_t, N> RandomId() {
  std::array<std::uint8_t, N> id{};
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word = Random()();
      for (std::size_t j = i; j < std::min(N, i + 8); ++j, word >>= 8) {
        id[j] = static_cast<std::uint8_t>(word);
      }
    }
  } while (AllZero(id));  // all-zero is the invalid id
  return id;
}

thread_local std::optional<SpanContext> t_current;

// The process's tracer. The exporter is shared so that a span ending while Configure or
// Shutdown replaces it still holds a live one (which then drops and counts the span).
struct Tracer {
  Tracer() { RegisterExportMetrics(); }  // the registry must outlive this object at exit
  std::mutex mutex;
  std::shared_ptr<OtlpExporter> exporter;
};

Tracer& TheTracer() {
  static Tracer tracer;
  return tracer;
}

ExportTotals g_totals;
// Read on every span without the tracer's lock.
std::atomic<bool> g_exporting{false};
std::atomic<double> g_sample_ratio{1.0};

std::shared_ptr<OtlpExporter> CurrentExporter() {
  if (!g_exporting.load(std::memory_order_acquire)) return nullptr;
  Tracer& tracer = TheTracer();
  std::lock_guard lock(tracer.mutex);
  return tracer.exporter;
}

std::shared_ptr<OtlpExporter> ReplaceExporter(std::shared_ptr<OtlpExporter> next) {
  Tracer& tracer = TheTracer();
  std::lock_guard lock(tracer.mutex);
  g_exporting.store(next != nullptr, std::memory_order_release);
  return std::exchange(tracer.exporter, std::move(next));
}

// A root's decision from its trace id (random bits), so every process that sees the id
// without a sampled flag would decide alike.
bool SampledByRatio(const std::array<std::uint8_t, 16>& trace_id) {
  const double ratio = g_sample_ratio.load(std::memory_order_relaxed);
  if (ratio >= 1.0) return true;
  if (!(ratio > 0.0)) return false;
  std::uint64_t low = 0;
  for (std::size_t i = 8; i < 16; ++i) low = low << 8 | trace_id[i];
  return static_cast<double>(low) < ratio * 18446744073709551616.0;  // ratio * 2^64
}

}  // namespace

bool SpanContext::valid() const {
  return !AllZero(trace_id) && !AllZero(span_id);
}
std::string SpanContext::TraceIdHex() const {
  return ToHex(trace_id);
}
std::string SpanContext::SpanIdHex() const {
  return ToHex(span_id);
}

std::optional<SpanContext> ParseTraceparent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2.
  constexpr std::size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  std::array<std::uint8_t, 1> version{};
  std::array<std::uint8_t, 1> flags{};
  SpanContext context;
  if (!FromHex(header.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  if (!FromHex(header.substr(3, 32), context.trace_id) ||
      !FromHex(header.substr(36, 16), context.span_id) || !FromHex(header.substr(53, 2), flags)) {
    return std::nullopt;
  }
  // Version 00 is exactly these fields; a later version may append its own after a dash.
  if (header.size() > kLength && (version[0] == 0 || header[kLength] != '-')) return std::nullopt;
  if (!context.valid()) return std::nullopt;
  context.sampled = (flags[0] & 0x01) != 0;
  return context;
}

std::string FormatTraceparent(const SpanContext& context) {
  return "00-" + context.TraceIdHex() + "-" + context.SpanIdHex() +
         (context.sampled ? "-01" : "-00");
}

void Configure(const TracerOptions& options) {
  g_sample_ratio.store(std::clamp(options.sample_ratio, 0.0, 1.0), std::memory_order_relaxed);
  std::shared_ptr<OtlpExporter> next;
  if (options.enabled && !options.endpoint.empty()) {
    next = std::make_shared<OtlpExporter>(options, g_totals);
  }
  std::shared_ptr<OtlpExporter> previous = ReplaceExporter(std::move(next));
  if (previous) previous->Shutdown(options.timeout);
}

void Shutdown(std::chrono::milliseconds timeout) {
  std::shared_ptr<OtlpExporter> previous = ReplaceExporter(nullptr);
  if (previous) previous->Shutdown(timeout);
}

ExportCounts Counts() {
  return ExportCounts{g_totals.queued.load(), g_totals.exported.load(), g_totals.dropped.load()};
}

std::optional<SpanContext> Current() {
  return t_current;
}

Span::Span(std::string_view name, SpanKind kind) : Span(name, kind, Current()) {}

Span::Span(std::string_view name, SpanKind kind, const std::optional<SpanContext>& parent)
    : name_(name), kind_(kind), start_(std::chrono::system_clock::now()) {
  if (parent && parent->valid()) {
    parent_ = parent;
    context_.trace_id = parent->trace_id;
    context_.sampled = parent->sampled;
  } else {
    context_.trace_id = RandomId<16>();
    context_.sampled = SampledByRatio(context_.trace_id);
  }
  context_.span_id = RandomId<8>();
  previous_ = std::exchange(t_current, context_);
}

Span::~Span() {
  End();
}

namespace {
// Keys are unique in OTLP: a second value for a key replaces the first.
void PutAttribute(std::vector<std::pair<std::string, AttributeValue>>& attributes,
                  std::string_view key, AttributeValue value) {
  for (auto& [existing, old] : attributes) {
    if (existing == key) {
      old = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::string(key), std::move(value));
}

// Attributes and errors are kept only for a span that will be exported.
bool Recording(bool ended, const SpanContext& context) {
  return !ended && context.sampled && g_exporting.load(std::memory_order_relaxed);
}
}  // namespace

void Span::SetAttribute(std::string_view key, std::string_view value) {
  if (Recording(ended_, context_)) PutAttribute(attributes_, key, std::string(value));
}
void Span::SetAttribute(std::string_view key, std::int64_t value) {
  if (Recording(ended_, context_)) PutAttribute(attributes_, key, value);
}
void Span::SetAttribute(std::string_view key, double value) {
  if (Recording(ended_, context_)) PutAttribute(attributes_, key, value);
}
void Span::SetAttribute(std::string_view key, bool value) {
  if (Recording(ended_, context_)) PutAttribute(attributes_, key, value);
}

void Span::SetError(std::string_view message) {
  if (!Recording(ended_, context_)) return;
  error_ = true;
  error_message_ = std::string(message);
}

void Span::End() {
  if (ended_) return;
  ended_ = true;
  t_current = previous_;
  if (!context_.sampled) return;
  std::shared_ptr<OtlpExporter> exporter = CurrentExporter();
  if (!exporter) return;
  exporter->Enqueue(SpanData{context_, parent_, std::move(name_), kind_, start_,
                             std::chrono::system_clock::now(), std::move(attributes_), error_,
                             std::move(error_message_)});
}

ScopedContext::ScopedContext(const std::optional<SpanContext>& context) {
  if (!context || !context->valid()) return;
  set_ = true;
  previous_ = std::exchange(t_current, context);
}

ScopedContext::~ScopedContext() {
  if (set_) t_current = previous_;
}

}  // namespace reel::trace
