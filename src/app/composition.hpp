#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "app/module.hpp"
#include "app/wiring.hpp"
#include "views/rendered_videos.hpp"

namespace reel::app {

/// The modules a process hosts, built in order over its Core, and what they serve
/// together: the one way both `reel all` and `reel serve <svc>` are put together.
///
/// Building: each module gets a ModuleContext over `core`, the process's database file
/// (`database`) and the clients (`remote`, for the services of other processes, plus the
/// *Rpc of every module built before it); its own client then joins them, and its event
/// subscription (ModuleSpec::subscribes) is made on core.events. Then writers are checked
/// with the user service, and the views are built over every client. Throws when a store
/// cannot be opened or a module lacks a client it needs.
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
  std::unique_ptr<WriteChecks> write_checks_;
  /// Null unless every store is in this process (and caches are on).
  std::unique_ptr<views::RenderedVideos> rendered_videos_;
  std::unique_ptr<views::UserViews> user_views_;
  std::unique_ptr<views::VideoViews> video_views_;
};

}  // namespace reel::app
