#include "kit/metrics/process_collector.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace reel::metrics {
namespace {

prometheus::MetricFamily One(std::string name, std::string help, prometheus::MetricType type,
                             double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return {std::move(name), std::move(help), type, {std::move(metric)}};
}

// The fields of /proc/self/stat after the command name (which may hold spaces), so that
// field N of proc(5) is fields[N - 3].
std::vector<std::string> StatFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("btime ", 0) == 0) return std::strtod(line.c_str() + 6, nullptr);
  }
  return 0;
}

double MaxOpenFiles() {
  std::ifstream in("/proc/self/limits");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream fields(line.substr(14));
      std::string soft;
      fields >> soft;
      return soft == "unlimited" ? -1 : std::strtod(soft.c_str(), nullptr);
    }
  }
  return -1;
}

double OpenFiles() {
  std::error_code error;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  return count;
}

}  // namespace

std::vector<prometheus::MetricFamily> CollectProcess() {
  const std::vector<std::string> stat = StatFields();
  if (stat.size() < 22) return {};
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  auto field = [&](int n) { return std::strtod(stat[n - 3].c_str(), nullptr); };
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  out.push_back(One("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                    MetricType::Counter, (field(14) + field(15)) / ticks));
  out.push_back(One("process_resident_memory_bytes", "Resident memory size in bytes.",
                    MetricType::Gauge, field(24) * page));
  out.push_back(One("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    MetricType::Gauge, field(23)));
  out.push_back(One("process_threads", "Threads of the process.", MetricType::Gauge, field(20)));
  out.push_back(One("process_start_time_seconds",
                    "Start time of the process since the Unix epoch, in seconds.",
                    MetricType::Gauge, BootTimeSeconds() + field(22) / ticks));
  out.push_back(One("process_open_fds", "Open file descriptors.", MetricType::Gauge, OpenFiles()));
  if (const double max = MaxOpenFiles(); max >= 0) {
    out.push_back(
        One("process_max_fds", "The limit of open file descriptors.", MetricType::Gauge, max));
  }
  return out;
}

}  // namespace reel::metrics
