#include "app/service_process.hpp"

#include <filesystem>
#include <memory>
#include <set>
#include <type_traits>
#include <vector>

#include "apidocs/apidocs_routes.hpp"
#include "app/wiring.hpp"
#include "comment/api/comment_grpc_client.hpp"
#include "comment/api/comment_grpc_service.hpp"
#include "comment/api/comment_routes.hpp"
#include "favorite/api/favorite_grpc_client.hpp"
#include "favorite/api/favorite_grpc_service.hpp"
#include "favorite/api/favorite_routes.hpp"
#include "feed/api/feed_grpc_service.hpp"
#include "feed/api/feed_routes.hpp"
#include "kit/events/event_relay.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/etcd_client.hpp"
#include "kit/rpc/grpc_server.hpp"
#include "relation/api/relation_grpc_client.hpp"
#include "relation/api/relation_grpc_service.hpp"
#include "relation/api/relation_routes.hpp"
#include "search/api/search_routes.hpp"
#include "user/api/user_grpc_client.hpp"
#include "user/api/user_grpc_service.hpp"
#include "user/api/user_routes.hpp"
#include "video/api/media_routes.hpp"
#include "video/api/video_grpc_client.hpp"
#include "video/api/video_grpc_service.hpp"
#include "video/api/video_routes.hpp"

namespace reel::app {
namespace {

using events::EventKind;

// Which services subscribe to which events in their modules (wiring.cpp): in one process
// the bus delivers to them directly; in a cluster the publisher also delivers to these
// processes over gRPC. A kind a process publishes and subscribes to itself (video events →
// its own search index) needs no entry.
struct Subscription {
  std::string_view service;
  std::set<EventKind> kinds;
};
const std::vector<Subscription>& CrossProcessSubscriptions() {
  static const std::vector<Subscription> subscriptions = {
      // the search index: user profiles, popularity from likes and comments
      {"video",
       {events::EventKind::kUserRegistered, events::EventKind::kUserUpdated,
        events::EventKind::kVideoLiked, events::EventKind::kVideoUnliked,
        events::EventKind::kCommentCreated, events::EventKind::kCommentDeleted}},
      // cascades: a deleted video's likes and comments go with it
      {"favorite", {events::EventKind::kVideoDeleted}},
      {"comment", {events::EventKind::kVideoDeleted}},
  };
  return subscriptions;
}

const std::string& TargetOf(const rpc::RpcConfig& config, std::string_view service) {
  if (service == "user") return config.user_target;
  if (service == "video") return config.video_target;
  if (service == "favorite") return config.favorite_target;
  if (service == "comment") return config.comment_target;
  if (service == "feed") return config.feed_target;
  return config.relation_target;
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const AppConfig& WithDataDir(const AppConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  return config;
}

// What every service process has: its settings, the shared core, discovery, the event
// forwarder, and the way it serves HTTP and gRPC side by side.
class Process {
 public:
  Process(const AppConfig& config, ServiceInfo info)
      : config_(config),
        info_(info),
        core_(WithDataDir(config)),
        http_port_(ListenPort(config, info.http_port)),
        grpc_port_(config.rpc.port == 0 ? info.grpc_port : config.rpc.port) {
    if (!config.rpc.etcd_endpoints.empty()) {
      etcd_ = std::make_unique<rpc::EtcdClient>(SplitComma(config.rpc.etcd_endpoints));
    }
    std::vector<events::EventPeer> peers;
    for (const Subscription& s : CrossProcessSubscriptions()) {
      if (s.service == info.name) continue;
      peers.push_back(
          {std::string(s.service), s.kinds,
           std::make_unique<rpc::RpcCaller<events::v1::EventRelay>>(
               std::string(s.service), ChannelsTo(s.service), config.rpc, core_.clock)});
    }
    forwarder_ = std::make_unique<events::EventForwarder>(core_.events, std::move(peers));
    core_.forwarder = forwarder_.get();
  }

  Core& core() { return core_; }
  const AppConfig& config() const { return config_; }
  int http_port() const { return http_port_; }
  const auth::RequestAuthenticator& auth() const { return core_.authenticator; }

  /// This service's own database, <data_dir>/<service>.db.
  std::unique_ptr<db::SqliteDb> OpenOwnDatabase(std::string_view component) {
    const std::string_view components[] = {component};
    return OpenDatabase(config_, std::string(info_.name), SchemasOf(components));
  }

  /// A gRPC client of another service, found by its configured target.
  template <typename Client>
  std::unique_ptr<Client> Remote(std::string_view service) {
    return std::make_unique<Client>(ChannelsTo(service), config_.rpc, core_.clock);
  }

  /// Serves `router` on the HTTP port and `services` (plus the event relay and health) on
  /// the gRPC port until SIGINT/SIGTERM.
  int Run(http::Router router, std::vector<grpc::Service*> services) {
    events::EventRelayService relay(core_.events);
    services.push_back(&relay);
    rpc::GrpcServer grpc(config_.http.host, grpc_port_, std::move(services));
    grpc.Start();
    std::unique_ptr<rpc::EtcdRegistration> registration;
    if (etcd_) {
      const std::string advertise = config_.rpc.advertise.empty()
                                        ? "127.0.0.1:" + std::to_string(grpc.port())
                                        : config_.rpc.advertise;
      registration = std::make_unique<rpc::EtcdRegistration>(
          *etcd_, config_.rpc.etcd_prefix + std::string(info_.name) + "/" + advertise, advertise,
          config_.rpc.etcd_lease_ttl);
    }
    log::Info("reel serve", {{"service", std::string(info_.name)},
                             {"http_port", static_cast<std::int64_t>(http_port_)},
                             {"grpc_port", static_cast<std::int64_t>(grpc.port())},
                             {"data_dir", config_.data_dir}});
    const int code = Serve(core_, std::move(router), http_port_);
    registration.reset();  // leave discovery before the calls in flight finish
    grpc.Shutdown(config_.http.drain_timeout);
    return code;
  }

 private:
  std::unique_ptr<rpc::ChannelSet> ChannelsTo(std::string_view service) {
    return rpc::MakeChannelSet(std::string(service), TargetOf(config_.rpc, service), config_.rpc,
                               etcd_.get());
  }

  const AppConfig& config_;
  ServiceInfo info_;
  Core core_;
  int http_port_;
  int grpc_port_;
  std::unique_ptr<rpc::EtcdClient> etcd_;
  std::unique_ptr<events::EventForwarder> forwarder_;
};

// gRPC clients of every service. A process swaps in its own implementation for its own
// service (With), so it never calls itself over the network.
struct Peers {
  explicit Peers(Process& p)
      : users(p.Remote<user::GrpcUserClient>("user")),
        videos(p.Remote<video::GrpcVideoClient>("video")),
        favorites(p.Remote<favorite::GrpcFavoriteClient>("favorite")),
        comments(p.Remote<comment::GrpcCommentClient>("comment")),
        relations(p.Remote<relation::GrpcRelationClient>("relation")) {}

  template <typename Local>
  views::ServiceClients With(Local& local) const {
    views::ServiceClients clients{users.get(), videos.get(), favorites.get(), comments.get(),
                                  relations.get()};
    if constexpr (std::is_base_of_v<user::UserClient, Local>) clients.users = &local;
    if constexpr (std::is_base_of_v<video::VideoClient, Local>) clients.videos = &local;
    if constexpr (std::is_base_of_v<favorite::FavoriteClient, Local>) clients.favorites = &local;
    if constexpr (std::is_base_of_v<comment::CommentClient, Local>) clients.comments = &local;
    if constexpr (std::is_base_of_v<relation::RelationClient, Local>) clients.relations = &local;
    return clients;
  }
  views::ServiceClients All() const {
    return {users.get(), videos.get(), favorites.get(), comments.get(), relations.get()};
  }

  std::unique_ptr<user::GrpcUserClient> users;
  std::unique_ptr<video::GrpcVideoClient> videos;
  std::unique_ptr<favorite::GrpcFavoriteClient> favorites;
  std::unique_ptr<comment::GrpcCommentClient> comments;
  std::unique_ptr<relation::GrpcRelationClient> relations;
};

// User and video objects as this process's routes show them, assembled over `clients`.
struct Views {
  Views(const Process& p, const views::ServiceClients& service_clients)
      : clients(service_clients),
        urls(PublicBaseUrl(p.config(), p.http_port())),
        users(clients, &urls),
        videos(users, clients, urls) {}

  views::ServiceClients clients;
  views::MediaUrls urls;
  views::UserViews users;
  views::VideoViews videos;
};

int RunUser(Process& p) {
  auto db = p.OpenOwnDatabase(kUserComponent);
  UserModule users(p.core(), *db);
  WriteChecks checks(p.core(), users.rpc);
  Peers peers(p);
  Views views(p, peers.With(users.rpc));

  http::Router router;
  user::AddUserDouyinRoutes(router, users.rpc, views.users, p.auth());
  user::AddUserApiRoutes(router, users.rpc, views.users, p.auth(), users.images);
  video::AddMediaRoutes(router, users.blobs);  // its pictures, when run alone
  apidocs::AddApiDocsRoutes(router);
  user::UserGrpcService grpc(users.rpc);
  return p.Run(std::move(router), {&grpc});
}

int RunVideo(Process& p) {
  auto db = p.OpenOwnDatabase(kVideoComponent);
  VideoModule videos(p.core(), *db);
  Peers peers(p);
  WriteChecks checks(p.core(), *peers.users);
  Views views(p, peers.With(videos.rpc));
  SearchModule search(p.core(), views.clients);  // the video service owns the search index

  http::Router router;
  const std::uint64_t max_upload = p.config().media.max_upload_bytes;
  video::AddVideoDouyinRoutes(router, videos.rpc, views.videos, p.auth(), max_upload);
  video::AddVideoApiRoutes(router, videos.rpc, views.videos, views.urls, p.auth(), max_upload);
  video::AddMediaRoutes(router, videos.blobs);
  search::AddSearchApiRoutes(router, search.index, views.clients, views.users, views.videos,
                             p.auth());
  video::VideoGrpcService grpc(videos.rpc);
  return p.Run(std::move(router), {&grpc});
}

int RunFavorite(Process& p) {
  auto db = p.OpenOwnDatabase(kFavoriteComponent);
  Peers peers(p);
  WriteChecks checks(p.core(), *peers.users);
  VideoAuthors authors(*peers.videos);
  FavoriteModule favorites(p.core(), *db, authors);
  Views views(p, peers.With(favorites.rpc));

  http::Router router;
  favorite::AddFavoriteDouyinRoutes(router, favorites.rpc, views.videos, *peers.videos, p.auth());
  favorite::AddFavoriteApiRoutes(router, favorites.rpc, views.videos, *peers.videos, *peers.users,
                                 p.auth());
  favorite::FavoriteGrpcService grpc(favorites.rpc);
  return p.Run(std::move(router), {&grpc});
}

int RunComment(Process& p) {
  auto db = p.OpenOwnDatabase(kCommentComponent);
  Peers peers(p);
  WriteChecks checks(p.core(), *peers.users);
  VideoAuthors authors(*peers.videos);
  CommentModule comments(p.core(), *db, authors);
  Views views(p, peers.With(comments.rpc));

  http::Router router;
  comment::AddCommentDouyinRoutes(router, comments.rpc, views.users, p.auth());
  comment::AddCommentApiRoutes(router, comments.rpc, views.users, p.auth());
  comment::CommentGrpcService grpc(comments.rpc);
  return p.Run(std::move(router), {&grpc});
}

int RunRelation(Process& p) {
  auto db = p.OpenOwnDatabase(kRelationComponent);
  Peers peers(p);
  WriteChecks checks(p.core(), *peers.users);
  KnownUsers known_users(*peers.users);
  RelationModule relations(p.core(), *db, known_users);
  Views views(p, peers.With(relations.rpc));

  http::Router router;
  relation::AddRelationDouyinRoutes(router, relations.rpc, views.users, p.auth());
  relation::AddRelationApiRoutes(router, relations.rpc, views.users, p.auth());
  relation::RelationGrpcService grpc(relations.rpc);
  return p.Run(std::move(router), {&grpc});
}

// The feed owns nothing durable: it pages over the video service and decorates each page
// with one batch call per other service.
int RunFeed(Process& p) {
  Peers peers(p);
  WriteChecks checks(p.core(), *peers.users);
  Views views(p, peers.All());
  FeedModule feed(p.core(), views.clients);

  http::Router router;
  feed::AddFeedDouyinRoutes(router, *peers.videos, views.videos, p.auth(), p.core().clock);
  feed::AddFeedApiRoutes(router, feed.rpc, views.videos, p.auth());
  feed::FeedGrpcService grpc(feed.rpc);
  return p.Run(std::move(router), {&grpc});
}

}  // namespace

std::optional<ServiceInfo> FindService(std::string_view name) {
  for (const ServiceInfo& s : kServices) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

int RunServiceProcess(const AppConfig& config, std::string_view service) {
  const auto info = FindService(service);
  if (!info) throw std::invalid_argument("no service named '" + std::string(service) + "'");
  Process process(config, *info);
  if (service == "user") return RunUser(process);
  if (service == "video") return RunVideo(process);
  if (service == "favorite") return RunFavorite(process);
  if (service == "comment") return RunComment(process);
  if (service == "relation") return RunRelation(process);
  return RunFeed(process);
}

}  // namespace reel::app
