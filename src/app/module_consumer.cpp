#include "app/module_consumer.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "events/v1/events.pb.h"
#include "kit/bus/dispatch.hpp"
#include "kit/events/event_wire.hpp"
#include "kit/trace/trace.hpp"

namespace reel::app {

std::string ConsumerGroupOf(const ModuleSpec& spec, std::string_view instance) {
  std::string group(spec.name);
  if (spec.consumes_in_every_process) group += "@" + std::string(instance);
  return group;
}

ModuleConsumer::ModuleConsumer(bus::Bus& bus, const ModuleSpec& spec, const AppConfig& config,
                               std::string_view instance)
    : spec_(spec) {
  bus::SubscribeOptions options{
      .group = ConsumerGroupOf(spec, instance),
      // Stable across restarts: a replica that comes back holds its leases and its
      // unacknowledged entries again at once, rather than after its old leases lapse.
      .consumer = std::string(instance),
      // A new group follows from now: what came before is in the stores the module reads
      // as it is built (a new search index), or was handled by the group's earlier members.
      .start = bus::SubscribeOptions::Start::kEnd,
      .retry = {.max_attempts = config.bus.max_attempts,
                .initial_backoff = config.bus.initial_backoff,
                .max_backoff = config.bus.max_backoff},
  };
  bus::GroupCounters{options.group};  // the group's counters exist from 0 from now on
  lag_ = metrics::ScrapeHook(
      [&bus, group = options.group,
       &gauge = metrics::GaugeFamily("reel_bus_lag",
                                     "Events published and not yet handled by the group.")
                    .Add({{"group", bus::GroupLabel(options.group)}})] {
        try {
          for (const bus::GroupStatus& status : bus.Groups()) {
            if (status.group == group && status.lag >= 0)
              gauge.Set(static_cast<double>(status.lag));
          }
        } catch (const std::exception&) {
          // The bus is away: the gauge keeps its last value; bus errors say why.
        }
      });
  subscription_ =
      bus.Subscribe(options, [this](const bus::Delivery& delivery) { Handle(delivery); });
}

ModuleConsumer::~ModuleConsumer() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  attached_.notify_all();
  subscription_.reset();
}

void ModuleConsumer::Attach(ServiceModule& module) {
  {
    std::lock_guard lock(mu_);
    module_ = &module;
  }
  attached_.notify_all();
}

void ModuleConsumer::Handle(const bus::Delivery& delivery) {
  ServiceModule* module = nullptr;
  {
    std::unique_lock lock(mu_);
    // A long build (a search index over many videos) holds deliveries back; the retry
    // policy's attempts cover a few minutes of waiting.
    attached_.wait_for(lock, std::chrono::seconds(60), [&] { return module_ || closing_; });
    if (!module_) throw std::runtime_error("module " + std::string(spec_.name) + " not ready");
    module = module_;
  }
  events::v1::Event wire;
  if (!wire.ParseFromString(delivery.message.payload)) {
    throw std::runtime_error("not an events.v1.Event");
  }
  auto event = events::FromWire(wire);
  if (!event.ok()) throw std::runtime_error(event.status().message);
  if (std::ranges::find(spec_.subscribes, event->kind) == spec_.subscribes.end()) return;
  // A child of the write that made the event (its trace_parent), across the bus.
  trace::Span span("consume " + std::string(spec_.name), trace::SpanKind::kConsumer,
                   trace::ParseTraceparent(event->trace_parent));
  span.SetAttribute("messaging.message.id", delivery.message.id);
  span.SetAttribute("messaging.consumer.group", std::string(spec_.name));
  try {
    module->OnEvent(*event);
  } catch (const std::exception& e) {
    span.SetError(e.what());
    throw;
  }
}

}  // namespace reel::app
