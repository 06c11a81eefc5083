#pragma once
// The process's Prometheus metrics (issue 21): one registry that every layer registers its
// families in, and its text exposition for GET /metrics (prometheus-cpp's serializer).
//
// Label values must come from bounded sets: a route's pattern, never its path; a gRPC code
// name; a cache's name. The helpers below map open-ended input onto such sets, and
// docs/architecture.md ("Metrics") lists every label with its values.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace reel::metrics {

/// The process-wide registry. Families registered twice under one name and type are the
/// same family (prometheus-cpp's merge behaviour), so a layer may look one up wherever it
/// needs it.
prometheus::Registry& Registry();

/// Everything registered, in the text exposition format (version 0.0.4). Runs the scrape
/// hooks first, so gauges sampled at scrape time are current.
std::string Scrape();

/// Latency buckets in seconds, 0.5 ms to 10 s: the same for every latency histogram so
/// dashboards can compare them.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

/// The families of the process, by name, registered on first use.
prometheus::Family<prometheus::Counter>& CounterFamily(const std::string& name,
                                                       const std::string& help);
prometheus::Family<prometheus::Gauge>& GaugeFamily(const std::string& name,
                                                   const std::string& help);
prometheus::Family<prometheus::Histogram>& HistogramFamily(const std::string& name,
                                                           const std::string& help);

/// A counter without labels (reel_likes_total), registered on first use.
prometheus::Counter& Counter(const std::string& name, const std::string& help);

/// "1xx" .. "5xx" ("5xx" for anything out of range).
std::string_view StatusClass(int status);
/// The HTTP method when it is a standard one, else "other".
std::string_view MethodLabel(std::string_view method);

/// Runs `hook` before every scrape (to sample gauges: lag, pools) until the returned handle
/// is destroyed; destruction waits for a hook that is running.
class ScrapeHook {
 public:
  ScrapeHook() = default;
  explicit ScrapeHook(std::function<void()> hook);
  ~ScrapeHook();
  ScrapeHook(ScrapeHook&& other) noexcept;
  ScrapeHook& operator=(ScrapeHook&& other) noexcept;
  ScrapeHook(const ScrapeHook&) = delete;
  ScrapeHook& operator=(const ScrapeHook&) = delete;

 private:
  std::uint64_t id_ = 0;
};

}  // namespace reel::metrics
