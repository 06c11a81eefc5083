#include "kit/metrics/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>
#include <sstream>

#include "kit/metrics/process_collector.hpp"

namespace reel::metrics {
namespace {

struct Hooks {
  std::mutex mutex;  // held while hooks run: removing one waits for it
  std::map<std::uint64_t, std::function<void()>> hooks;
  std::uint64_t next = 1;
};

Hooks& ScrapeHooks() {
  static Hooks hooks;
  return hooks;
}

}  // namespace

prometheus::Registry& Registry() {
  static prometheus::Registry registry;
  return registry;
}

std::string Scrape() {
  {
    Hooks& hooks = ScrapeHooks();
    std::lock_guard lock(hooks.mutex);
    for (auto& [id, hook] : hooks.hooks) hook();
  }
  std::vector<prometheus::MetricFamily> families = Registry().Collect();
  for (prometheus::MetricFamily& family : CollectProcess()) families.push_back(std::move(family));
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return std::move(out).str();
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

prometheus::Family<prometheus::Counter>& CounterFamily(const std::string& name,
                                                       const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(Registry());
}

prometheus::Family<prometheus::Gauge>& GaugeFamily(const std::string& name,
                                                   const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(Registry());
}

prometheus::Family<prometheus::Histogram>& HistogramFamily(const std::string& name,
                                                           const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(Registry());
}

prometheus::Counter& Counter(const std::string& name, const std::string& help) {
  return CounterFamily(name, help).Add({});
}

std::string_view StatusClass(int status) {
  static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  if (status < 100 || status > 599) return "5xx";
  return kClasses[status / 100 - 1];
}

std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                  "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kMethods) {
    if (method == known) return known;
  }
  return "other";
}

ScrapeHook::ScrapeHook(std::function<void()> hook) {
  Hooks& hooks = ScrapeHooks();
  std::lock_guard lock(hooks.mutex);
  id_ = hooks.next++;
  hooks.hooks.emplace(id_, std::move(hook));
}

ScrapeHook::~ScrapeHook() {
  if (id_ == 0) return;
  Hooks& hooks = ScrapeHooks();
  std::lock_guard lock(hooks.mutex);
  hooks.hooks.erase(id_);
}

ScrapeHook::ScrapeHook(ScrapeHook&& other) noexcept : id_(std::exchange(other.id_, 0)) {}

ScrapeHook& ScrapeHook::operator=(ScrapeHook&& other) noexcept {
  if (this != &other) {
    ScrapeHook gone(std::move(*this));
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

}  // namespace reel::metrics
