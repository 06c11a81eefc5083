#include "job/counters_reconciler.hpp"

#include <condition_variable>
#include <mutex>

#include "comment/api/comment_client.hpp"
#include "favorite/api/favorite_client.hpp"
#include "kit/log/log.hpp"
#include "relation/api/relation_client.hpp"

namespace reel::job {
namespace {

// Appends a service's reply to `out`, or records its failure in `failure`.
template <typename Reply>
void Collect(std::string_view service, const Result<Reply>& reply, std::vector<CounterRepair>& out,
             Status& failure) {
  if (!reply.ok()) {
    failure = reply.status();
    failure.message = std::string(service) + ": " + failure.message;
    return;
  }
  for (const auto& repair : reply->repairs()) {
    out.push_back({std::string(service), repair.counter(), repair.rows_fixed()});
  }
}

}  // namespace

Result<std::vector<CounterRepair>> ReconcileCounters(const views::ServiceClients& clients) {
  std::vector<CounterRepair> out;
  Status failure = Status::Ok();
  if (clients.favorites) {
    Collect("favorite", clients.favorites->ReconcileCounters({}), out, failure);
  }
  if (clients.comments) {
    Collect("comment", clients.comments->ReconcileCounters({}), out, failure);
  }
  if (clients.relations) {
    Collect("relation", clients.relations->ReconcileCounters({}), out, failure);
  }
  if (!failure.ok()) return failure;
  return out;
}

CountersReconciler::CountersReconciler(const views::ServiceClients& clients,
                                       std::chrono::milliseconds interval)
    : clients_(clients), interval_(interval) {
  if (interval_.count() > 0) {
    thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
  }
}

CountersReconciler::~CountersReconciler() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void CountersReconciler::Run(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  while (true) {
    {
      std::unique_lock lock(mu);
      if (cv.wait_for(lock, stop, interval_, [] { return false; }) || stop.stop_requested()) {
        return;
      }
    }
    auto repairs = ReconcileCounters(clients_);
    if (!repairs.ok()) {
      log::Warn("counters reconciler: a service could not be asked; next run retries",
                {{"error", repairs.status().message}});
      continue;
    }
    std::int64_t fixed = 0;
    for (const CounterRepair& repair : *repairs) {
      if (repair.rows_fixed == 0) continue;
      fixed += repair.rows_fixed;
      log::Warn("counters reconciler: repaired drifted counters",
                {{"service", repair.service},
                 {"counter", repair.counter},
                 {"rows_fixed", repair.rows_fixed}});
    }
    if (fixed == 0) log::Debug("counters reconciler: every counter equals its rows");
  }
}

}  // namespace reel::job
