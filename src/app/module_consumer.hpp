#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "app/module.hpp"
#include "kit/bus/bus.hpp"
#include "kit/metrics/metrics.hpp"

namespace reel::app {

/// The bus consumer group a module's events reach it through: "<module>", shared by every
/// process hosting the module (each event handled by one of them), or
/// "<module>@<instance>" for a module that consumes in every process
/// (ModuleSpec::consumes_in_every_process).
std::string ConsumerGroupOf(const ModuleSpec& spec, std::string_view instance);

/// A module's membership in its consumer group. Made before the module is built, so the
/// group's position is fixed before the module reads the stores (a search index built from
/// them then misses nothing published meanwhile: those events wait, and are applied after).
/// Deliveries wait until Attach; each is decoded (events.v1.Event), filtered to the kinds
/// the module subscribes to and handed to OnEvent. An undecodable message, or one OnEvent
/// keeps refusing, ends as the group's dead letter.
class ModuleConsumer {
 public:
  ModuleConsumer(bus::Bus& bus, const ModuleSpec& spec, const AppConfig& config,
                 std::string_view instance);
  /// Leaves the group (a delivery in progress finishes; one waiting for Attach is given
  /// back to the group).
  ~ModuleConsumer();
  ModuleConsumer(const ModuleConsumer&) = delete;
  ModuleConsumer& operator=(const ModuleConsumer&) = delete;

  /// From now on deliveries reach `module` (which outlives this).
  void Attach(ServiceModule& module);

 private:
  void Handle(const bus::Delivery& delivery);

  const ModuleSpec& spec_;
  std::mutex mu_;
  std::condition_variable attached_;
  ServiceModule* module_ = nullptr;  // guarded by mu_
  bool closing_ = false;             // guarded by mu_
  metrics::ScrapeHook lag_;          // reel_bus_lag{group}, asked of the bus at each scrape
  std::unique_ptr<bus::Subscription> subscription_;  // last: stopped first
};

}  // namespace reel::app
