#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kit/http/middleware/middleware.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::http {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "other"};
constexpr std::array<std::string_view, 5> kStatuses = {"1xx", "2xx", "3xx", "4xx", "5xx"};

struct Series {
  prometheus::Counter* requests = nullptr;
  prometheus::Histogram* latency = nullptr;  // per method: the same for every status
};

// A route's series by method and status class, found without building labels: looking a
// series up in its family takes a lock and hashes the labels, too much for every request.
struct RouteSeries {
  std::array<std::array<Series, kStatuses.size()>, kMethods.size()> by;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <std::size_t N>
std::size_t IndexOf(const std::array<std::string_view, N>& values, std::string_view value) {
  for (std::size_t i = 0; i < N; ++i) {
    if (values[i] == value) return i;
  }
  return N - 1;
}

Series& SeriesOf(std::string_view route, std::string_view method, std::string_view status) {
  static auto& requests =
      metrics::CounterFamily("reel_http_requests_total",
                             "HTTP requests answered, by route pattern, method and status class.");
  static auto& latency = metrics::HistogramFamily(
      "reel_http_request_duration_seconds", "HTTP request latency by route pattern and method.");
  // Each thread keeps what it has looked up (keyed by the pattern's text: routers come and
  // go in tests, their patterns' addresses with them).
  thread_local std::unordered_map<std::string, RouteSeries, StringHash, std::equal_to<>> known;
  auto it = known.find(route);
  if (it == known.end()) it = known.emplace(std::string(route), RouteSeries{}).first;
  Series& series = it->second.by[IndexOf(kMethods, method)][IndexOf(kStatuses, status)];
  if (!series.requests) {
    const std::string route_label(route), method_label(method);
    series.requests = &requests.Add(
        {{"route", route_label}, {"method", method_label}, {"status", std::string(status)}});
    series.latency =
        &latency.Add({{"route", route_label}, {"method", method_label}}, metrics::LatencyBuckets());
  }
  return series;
}

}  // namespace

Middleware RequestMetricsMiddleware(const Clock& clock) {
  return [&clock](Request& req, const Next& next) {
    const auto start = clock.Monotonic();
    Response response = next(req);
    const double seconds = std::chrono::duration<double>(clock.Monotonic() - start).count();
    Series& series =
        SeriesOf(req.route ? std::string_view(req.route->pattern) : std::string_view("unmatched"),
                 metrics::MethodLabel(req.method), metrics::StatusClass(response.status));
    series.requests->Increment();
    series.latency->Observe(seconds);
    return response;
  };
}

}  // namespace reel::http
