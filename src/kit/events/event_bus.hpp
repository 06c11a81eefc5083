#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kit/events/event.hpp"

namespace reel::events {

/// Where a service reports what it changed, after the change is committed. Publishing never
/// fails the write that caused it: delivery problems are the sink's to handle.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Publish(const Event& event) = 0;
};

/// Drops every event: for a process (or a test) where nobody listens.
class NullEventSink final : public EventSink {
 public:
  void Publish(const Event&) override {}
};

/// The all-in-one bus: delivers each event to every subscriber, in subscription order, on
/// the publishing thread, before Publish returns. A subscriber that throws is logged and
/// the others still get the event. Subscribe everything before the first Publish; after
/// that the bus is read-only and Publish is thread-safe.
class InProcessEventBus final : public EventSink {
 public:
  using Handler = std::function<void(const Event&)>;

  /// `name` identifies the subscriber in logs ("search-indexer").
  void Subscribe(std::string name, Handler handler);
  void Publish(const Event& event) override;

 private:
  struct Subscriber {
    std::string name;
    Handler handler;
  };
  std::vector<Subscriber> subscribers_;
};

}  // namespace reel::events
