#include "kit/trace/otlp_exporter.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "kit/curl/curl_handles.hpp"
#include "kit/metrics/metrics.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace reel::trace {
namespace {

namespace otlp_common = opentelemetry::proto::common::v1;
namespace otlp_trace = opentelemetry::proto::trace::v1;
using Clock = std::chrono::steady_clock;

prometheus::Counter& ExportedCounter() {
  static prometheus::Counter& counter = metrics::Counter(
      "reel_trace_spans_exported_total", "Spans the collector accepted (OTLP/HTTP).");
  return counter;
}

prometheus::Counter& DroppedCounter() {
  static prometheus::Counter& counter =
      metrics::Counter("reel_trace_spans_dropped_total",
                       "Sampled spans not exported: the queue was full, the export failed, "
                       "or they were still queued at shutdown.");
  return counter;
}

template <std::size_t N>
std::string Bytes(const std::array<std::uint8_t, N>& id) {
  return std::string(reinterpret_cast<const char*>(id.data()), N);
}

std::uint64_t UnixNanos(std::chrono::system_clock::time_point at) {
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch());
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, nanos.count()));
}

otlp_trace::Span::SpanKind KindOf(SpanKind kind) {
  switch (kind) {
    case SpanKind::kServer:
      return otlp_trace::Span::SPAN_KIND_SERVER;
    case SpanKind::kClient:
      return otlp_trace::Span::SPAN_KIND_CLIENT;
    case SpanKind::kProducer:
      return otlp_trace::Span::SPAN_KIND_PRODUCER;
    case SpanKind::kConsumer:
      return otlp_trace::Span::SPAN_KIND_CONSUMER;
    case SpanKind::kInternal:
      break;
  }
  return otlp_trace::Span::SPAN_KIND_INTERNAL;
}

void SetValue(const AttributeValue& value, otlp_common::AnyValue& out) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out.set_string_value(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.set_bool_value(v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out.set_int_value(v);
        } else {
          out.set_double_value(v);
        }
      },
      value);
}

void AddAttribute(std::string_view key, const AttributeValue& value,
                  google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& out) {
  otlp_common::KeyValue* pair = out.Add();
  pair->set_key(std::string(key));
  SetValue(value, *pair->mutable_value());
}

void FillSpan(const SpanData& span, otlp_trace::Span& out) {
  out.set_trace_id(Bytes(span.context.trace_id));
  out.set_span_id(Bytes(span.context.span_id));
  if (span.parent) out.set_parent_span_id(Bytes(span.parent->span_id));
  out.set_name(span.name);
  out.set_kind(KindOf(span.kind));
  out.set_start_time_unix_nano(UnixNanos(span.start));
  out.set_end_time_unix_nano(UnixNanos(span.end));
  for (const auto& [key, value] : span.attributes) {
    AddAttribute(key, value, *out.mutable_attributes());
  }
  if (span.error) {
    out.mutable_status()->set_code(otlp_trace::Status::STATUS_CODE_ERROR);
    out.mutable_status()->set_message(span.error_message);
  }
}

size_t DiscardBody(char*, size_t size, size_t count, void*) {
  return size * count;
}

// Non-zero aborts the transfer: once the exporter's shutdown deadline has passed.
int AbortAfterDeadline(void* deadline_ptr, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& deadline = *static_cast<const std::atomic<Clock::rep>*>(deadline_ptr);
  return Clock::now().time_since_epoch().count() >= deadline.load(std::memory_order_relaxed);
}

// One POST of an encoded request on the exporter thread's handle (kept across requests so the
// connection to the collector is reused). True when the collector answered 2xx.
bool Post(CURL* easy, const std::string& url, const std::string& body,
          std::chrono::milliseconds timeout, const std::atomic<Clock::rep>& abort_after) {
  curl::ListPtr headers(curl_slist_append(nullptr, "Content-Type: application/x-protobuf"));
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  // 0 would mean "no limit" to libcurl.
  const long timeout_ms = std::max<long>(1, static_cast<long>(timeout.count()));
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  // The collector is infrastructure next to the process: a proxy from the environment is
  // never wanted for it.
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &DiscardBody);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &AbortAfterDeadline);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, const_cast<std::atomic<Clock::rep>*>(&abort_after));
  const CURLcode code = curl_easy_perform(easy);
  // The list dies with this call; the handle must not keep pointing at it.
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) return false;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return status >= 200 && status < 300;
}

std::string TracesUrl(std::string endpoint) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint + "/v1/traces";
}

}  // namespace

void RegisterExportMetrics() {
  ExportedCounter();
  DroppedCounter();
}

std::string EncodeExportRequest(const std::vector<SpanData>& spans,
                                const std::string& service_name) {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  otlp_trace::ResourceSpans* resource_spans = request.add_resource_spans();
  AddAttribute("service.name", AttributeValue(service_name),
               *resource_spans->mutable_resource()->mutable_attributes());
  otlp_trace::ScopeSpans* scope_spans = resource_spans->add_scope_spans();
  scope_spans->mutable_scope()->set_name("reel");
  for (const SpanData& span : spans) FillSpan(span, *scope_spans->add_spans());
  return request.SerializeAsString();
}

OtlpExporter::OtlpExporter(TracerOptions options, ExportTotals& totals)
    : options_(std::move(options)), url_(TracesUrl(options_.endpoint)), totals_(totals) {
  // Registered before the thread can count anything.
  RegisterExportMetrics();
  curl::EnsureInitialised();
  thread_ = std::thread([this] { Run(); });
}

OtlpExporter::~OtlpExporter() {
  Shutdown(std::chrono::milliseconds(0));
}

void OtlpExporter::Enqueue(SpanData span) {
  totals_.queued.fetch_add(1, std::memory_order_relaxed);
  bool accepted = false;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.queue_capacity) {
      queue_.push_back(Queued{std::move(span), Clock::now()});
      accepted = true;
      // The thread sleeps without a deadline while the queue is empty, and until the oldest
      // span's deadline otherwise: only these two changes move its wake-up time.
      wake = queue_.size() == 1 || queue_.size() >= std::max<std::size_t>(1, options_.batch_size);
    }
  }
  if (!accepted) {
    CountDropped(1);
  } else if (wake) {
    wake_.notify_one();
  }
}

void OtlpExporter::Shutdown(std::chrono::milliseconds timeout) {
  std::lock_guard serial(shutdown_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      const Clock::time_point now = Clock::now();
      // A "forever" timeout must not overflow the clock.
      const auto room =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
      stop_deadline_ = timeout >= room ? Clock::time_point::max()
                                       : now + std::chrono::ceil<Clock::duration>(timeout);
      abort_after_.store(stop_deadline_.time_since_epoch().count(), std::memory_order_relaxed);
    }
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OtlpExporter::Run() {
  curl::EasyPtr easy(curl_easy_init());
  for (Batch batch = NextBatch(); !batch.spans.empty(); batch = NextBatch()) {
    const std::uint64_t count = batch.spans.size();
    const std::string body = EncodeExportRequest(batch.spans, options_.service_name);
    if (easy && Post(easy.get(), url_, body, batch.timeout, abort_after_)) {
      CountExported(count);
    } else {
      // No retry: a collector that is down would otherwise get every batch again on top
      // of the new ones, and the queue behind it would only grow.
      CountDropped(count);
    }
  }
}

OtlpExporter::Batch OtlpExporter::NextBatch() {
  std::unique_lock lock(mutex_);
  const std::size_t batch_size = std::max<std::size_t>(1, options_.batch_size);
  for (;;) {
    const Clock::time_point now = Clock::now();
    bool due = queue_.size() >= batch_size ||
               (!queue_.empty() && now >= queue_.front().at + options_.flush_interval);
    std::chrono::milliseconds timeout = options_.timeout;
    if (stopping_) {
      if (now >= stop_deadline_) {
        // Out of time: what is left is dropped, not sent late.
        const std::uint64_t left = queue_.size();
        queue_.clear();
        lock.unlock();
        CountDropped(left);
        return Batch{{}, timeout};
      }
      due = !queue_.empty();
      if (!due) return Batch{{}, timeout};
      timeout =
          std::min(timeout, std::chrono::ceil<std::chrono::milliseconds>(stop_deadline_ - now));
    }
    if (due) {
      Batch batch{{}, timeout};
      const std::size_t take = std::min(batch_size, queue_.size());
      batch.spans.reserve(take);
      for (std::size_t i = 0; i < take; ++i) {
        batch.spans.push_back(std::move(queue_.front().span));
        queue_.pop_front();
      }
      return batch;
    }
    if (queue_.empty()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, queue_.front().at + options_.flush_interval);
    }
  }
}

void OtlpExporter::CountExported(std::uint64_t count) {
  totals_.exported.fetch_add(count, std::memory_order_relaxed);
  ExportedCounter().Increment(static_cast<double>(count));
}

void OtlpExporter::CountDropped(std::uint64_t count) {
  if (count == 0) return;
  totals_.dropped.fetch_add(count, std::memory_order_relaxed);
  DroppedCounter().Increment(static_cast<double>(count));
}

}  // namespace reel::trace
