#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "app/module.hpp"
#include "app/wiring.hpp"
#include "kit/events/outbox_relay.hpp"
#include "views/rendered_videos.hpp"

namespace reel::app {

/// The modules a process hosts, built in order over its Core, and what they serve
/// together: the one way both `reel all` and `reel serve <svc>` are put together.
///
/// Building: each module gets a ModuleContext over `core`, the process's database file
/// (`database`) and the clients (`remote`, for the services of other processes, plus the
/// *Rpc of every module built before it); its own client then joins them. A module that
/// consumes events (ModuleSpec::subscribes) joins its consumer group on core.bus before it
/// is built (what a new search index is built from already follows the group's position:
/// no gap), and gets them once built. Then writers are checked with the user service, the
/// views are built over every client, and every outbox's relay starts. Throws when a store
/// cannot be opened or a module lacks a client it needs.
class ModuleConsumer;

class Composition {
 public:
  Composition(Core& core, std::span<const ModuleSpec* const> modules,
              const views::ServiceClients& remote, int http_port, std::string database);
  ~Composition();
  Composition(const Composition&) = delete;
  Composition& operator=(const Composition&) = delete;

  /// Every module's HTTP routes (health routes are added by Serve).
  http::Router Routes();
  /// Every module's gRPC service.
  std::vector<grpc::Service*> GrpcServices();
  /// Every service's client as the modules and views call it.
  const views::ServiceClients& clients() const { return clients_; }
  /// The names of the modules built, in order.
  std::vector<std::string_view> module_names() const;

 private:
  Core& core_;
  views::MediaUrls urls_;
  views::ServiceClients clients_;
  Databases databases_;
  std::vector<const ModuleSpec*> specs_;
  std::vector<std::unique_ptr<ServiceModule>> modules_;  // in build order; destroyed in reverse
  /// The consumers of the modules' events: stopped before the modules go.
  std::vector<std::unique_ptr<ModuleConsumer>> consumers_;
  /// One per outbox: stopped first.
  std::vector<std::unique_ptr<events::OutboxRelay>> relays_;
  std::unique_ptr<WriteChecks> write_checks_;
  /// Null unless every store is in this process (and caches are on).
  std::unique_ptr<views::RenderedVideos> rendered_videos_;
  std::unique_ptr<views::UserViews> user_views_;
  std::unique_ptr<views::VideoViews> video_views_;
};

}  // namespace reel::app
