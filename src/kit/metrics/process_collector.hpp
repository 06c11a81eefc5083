#pragma once
// The process's own figures, read from /proc at each scrape under the names Prometheus's
// client libraries use (process_cpu_seconds_total, process_resident_memory_bytes, ...), so
// the usual dashboards and alerts apply.

#include <prometheus/metric_family.h>

#include <vector>

namespace reel::metrics {

/// CPU seconds, resident and virtual memory, open and maximum descriptors, threads and
/// start time of this process. Empty where /proc cannot be read (not Linux).
std::vector<prometheus::MetricFamily> CollectProcess();

}  // namespace reel::metrics
