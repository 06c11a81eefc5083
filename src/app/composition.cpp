#include "app/composition.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/module_consumer.hpp"
#include "kit/http/server.hpp"

namespace reel::app {
namespace {

bool NoneRemote(const views::ServiceClients& remote) {
  return !remote.users && !remote.videos && !remote.favorites && !remote.comments &&
         !remote.relations;
}

// Rendered videos are reused only when every store is in this process and it is their only
// writer: each write to them advances core.writes. A cluster's processes see only their own
// writes and render each time, as does a process sharing its stores with others through
// Redis (another's write reaches this one's caches, but while Redis is away it would not
// reach core.writes either). A tenth of the cache size: a rendering is about 800 bytes.
std::unique_ptr<views::RenderedVideos> RenderedVideosOf(Core& core, bool every_store_here) {
  const int entries = core.config.database.cache_entries;
  if (!every_store_here || !CachesOn(core.config) || core.shared_caches) return nullptr;
  // A rendering keeps its URLs until a write moves the epoch: presigned ones would expire.
  if (core.config.media.store == "s3" && core.config.media.s3.urls == "presigned") return nullptr;
  return std::make_unique<views::RenderedVideos>(
      core.writes, std::max<std::size_t>(64, static_cast<std::size_t>(entries) / 10));
}

}  // namespace

Composition::Composition(Core& core, std::span<const ModuleSpec* const> modules,
                         const views::ServiceClients& remote, int http_port, std::string database)
    : core_(core),
      urls_(PublicBaseUrl(core.config, http_port), MediaKeyUrl(core.config, core.clock)),
      clients_(remote),
      databases_(core.config, std::move(database)),
      specs_(modules.begin(), modules.end()) {
  ModuleContext context{.config = core.config,
                        .clock = core.clock,
                        .signer = core.signer,
                        .authenticator = core.authenticator,
                        .writes = core.writes,
                        .urls = urls_,
                        .clients = clients_,
                        .databases = databases_,
                        .bus = core.bus.get(),
                        .redis = core.redis.get(),
                        .shared_caches = core.shared_caches.get()};
  if (!core.bus) throw std::logic_error("a process needs its bus before its modules");
  for (const ModuleSpec* spec : specs_) {
    ModuleConsumer* consumer = nullptr;
    if (!spec->subscribes.empty()) {
      consumer = consumers_
                     .emplace_back(std::make_unique<ModuleConsumer>(*core.bus, *spec, core.config,
                                                                    core.instance))
                     .get();
    }
    ServiceModule& module = *modules_.emplace_back(spec->make(context));
    module.ProvideClient(clients_);
    if (consumer) consumer->Attach(module);
  }
  // /readyz reports each database: ready while reads can be served (a primary that is down
  // still leaves the replicas: writes then answer 503, the process stays in rotation).
  for (db::Database* db : databases_.Opened()) {
    core.readiness.AddProbe([db] {
      const db::DatabaseHealth health = db->Health();
      return http::Readiness::Check{"database " + db->Describe(), health.readable, health.detail};
    });
  }
  // Writes by unknown users or logged-out sessions are refused: every process asks the user
  // service (its own module, or a remote one).
  if (!clients_.users) throw std::logic_error("a process needs the user client to check writes");
  write_checks_ = std::make_unique<WriteChecks>(core, *clients_.users);
  rendered_videos_ = RenderedVideosOf(core, NoneRemote(remote));
  user_views_ = std::make_unique<views::UserViews>(clients_, &urls_);
  video_views_ =
      std::make_unique<views::VideoViews>(*user_views_, clients_, urls_, rendered_videos_.get());
  // Last: what a crash left unpublished goes out now, before the first request.
  for (events::Outbox* outbox : databases_.Outboxes()) {
    auto& relay = relays_.emplace_back(std::make_unique<events::OutboxRelay>(
        *outbox, *core.bus,
        // The holder is the replica, stable across its restarts: one that comes back after
        // a crash relays at once instead of waiting for its old lease to lapse.
        events::OutboxRelayOptions{.holder = core.instance, .poll = core.config.bus.outbox_poll}));
    relay->Start();
  }
}

Composition::~Composition() {
  relays_.clear();
  consumers_.clear();
  video_views_.reset();
  user_views_.reset();
  // Later modules use earlier ones (search reads the services to the end): last built, first
  // gone.
  while (!modules_.empty()) modules_.pop_back();
}

http::Router Composition::Routes() {
  http::Router router;
  const ModuleViews views{*user_views_, *video_views_};
  for (const auto& module : modules_) module->AddRoutes(router, views);
  return router;
}

std::vector<grpc::Service*> Composition::GrpcServices() {
  std::vector<grpc::Service*> out;
  for (const auto& module : modules_) {
    if (grpc::Service* service = module->GrpcService()) out.push_back(service);
  }
  return out;
}

std::vector<std::string_view> Composition::module_names() const {
  std::vector<std::string_view> out;
  for (const ModuleSpec* spec : specs_) out.push_back(spec->name);
  return out;
}

}  // namespace reel::app
