#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "kit/status/status.hpp"
#include "views/service_clients.hpp"

namespace reel::job {

/// One counter as a reconciliation found it.
struct CounterRepair {
  std::string service;  ///< "favorite", "comment", "relation"
  std::string counter;  ///< "video_favorite_counts.favorite_count", ...
  std::int64_t rows_fixed = 0;
};

/// Asks every service that keeps counters (favorite, comment, relation) to compare them
/// with their rows and repair drift. Returns every counter checked; a service that cannot
/// be asked is an error (the others' repairs are still made).
Result<std::vector<CounterRepair>> ReconcileCounters(const views::ServiceClients& clients);

/// ReconcileCounters every `interval` on a thread of its own (not at all for 0), logging
/// each repair at warn (drift means a bug or a manual edit) and a clean run at debug.
class CountersReconciler {
 public:
  CountersReconciler(const views::ServiceClients& clients, std::chrono::milliseconds interval);
  ~CountersReconciler();
  CountersReconciler(const CountersReconciler&) = delete;
  CountersReconciler& operator=(const CountersReconciler&) = delete;

 private:
  void Run(std::stop_token stop);

  views::ServiceClients clients_;
  std::chrono::milliseconds interval_;
  std::jthread thread_;
};

}  // namespace reel::job
