#include "app/service_process.hpp"

#include <filesystem>
#include <memory>
#include <vector>

#include "app/composition.hpp"
#include "app/modules.hpp"
#include "app/wiring.hpp"
#include "comment/api/comment_grpc_client.hpp"
#include "favorite/api/favorite_grpc_client.hpp"
#include "kit/log/log.hpp"
#include "kit/rpc/etcd_client.hpp"
#include "kit/rpc/grpc_server.hpp"
#include "relation/api/relation_grpc_client.hpp"
#include "user/api/user_grpc_client.hpp"
#include "video/api/video_grpc_client.hpp"

namespace reel::app {
namespace {

const std::string& TargetOf(const rpc::RpcConfig& config, std::string_view service) {
  if (service == "user") return config.user_target;
  if (service == "video") return config.video_target;
  if (service == "favorite") return config.favorite_target;
  if (service == "comment") return config.comment_target;
  if (service == "feed") return config.feed_target;
  if (service == "moderation") return config.moderation_target;
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

// What every service process has: its settings, the shared core (its bus included),
// discovery, and the way it serves HTTP and gRPC side by side.
class Process {
 public:
  Process(const AppConfig& config, const ProcessSpec& info)
      : config_(config),
        info_(info),
        core_(WithDataDir(config)),
        http_port_(ListenPort(config, info.http_port)),
        grpc_port_(config.rpc.port == 0 ? info.grpc_port : config.rpc.port) {
    if (!config.rpc.etcd_endpoints.empty()) {
      etcd_ = std::make_unique<rpc::EtcdClient>(SplitComma(config.rpc.etcd_endpoints));
    }
    core_.instance = Advertised();
    core_.service = std::string(info.name);
    core_.bus = OpenBus(config, core_.redis.get(), /*all_in_one=*/false);
  }

  Core& core() { return core_; }
  int http_port() const { return http_port_; }
  const ProcessSpec& info() const { return info_; }

  /// A gRPC client of another service, found by its configured target.
  template <typename Client>
  std::unique_ptr<Client> Remote(std::string_view service) {
    return std::make_unique<Client>(ChannelsTo(service), config_.rpc, core_.clock);
  }

  /// Serves `router` on the HTTP port and `services` (plus health) on the gRPC port until
  /// SIGINT/SIGTERM.
  int Run(http::Router router, std::vector<grpc::Service*> services) {
    rpc::GrpcServer grpc(config_.http.host, grpc_port_, std::move(services));
    grpc.Start();
    std::unique_ptr<rpc::EtcdRegistration> registration;
    if (etcd_) {
      const std::string advertise = Advertised(grpc.port());
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
  // The address others dial for this process's gRPC server: what discovery lists it as, and
  // its name among its service's replicas (Core::instance).
  std::string Advertised(int port = 0) const {
    if (!config_.rpc.advertise.empty()) return config_.rpc.advertise;
    return "127.0.0.1:" + std::to_string(port == 0 ? grpc_port_ : port);
  }

  std::unique_ptr<rpc::ChannelSet> ChannelsTo(std::string_view service) {
    return rpc::MakeChannelSet(std::string(service), TargetOf(config_.rpc, service), config_.rpc,
                               etcd_.get());
  }

  const AppConfig& config_;
  ProcessSpec info_;
  Core core_;
  int http_port_;
  int grpc_port_;
  std::unique_ptr<rpc::EtcdClient> etcd_;
};

// gRPC clients of the services this process does not host; its own modules provide theirs
// (in-process), so it never calls itself over the network.
struct Remotes {
  explicit Remotes(Process& p) {
    const ProcessSpec& spec = p.info();
    if (!Hosts(spec, "user")) users = p.Remote<user::GrpcUserClient>("user");
    if (!Hosts(spec, "video")) videos = p.Remote<video::GrpcVideoClient>("video");
    if (!Hosts(spec, "favorite")) favorites = p.Remote<favorite::GrpcFavoriteClient>("favorite");
    if (!Hosts(spec, "comment")) comments = p.Remote<comment::GrpcCommentClient>("comment");
    if (!Hosts(spec, "relation")) relations = p.Remote<relation::GrpcRelationClient>("relation");
  }
  views::ServiceClients Clients() const {
    return {users.get(), videos.get(), favorites.get(), comments.get(), relations.get()};
  }

  std::unique_ptr<user::GrpcUserClient> users;
  std::unique_ptr<video::GrpcVideoClient> videos;
  std::unique_ptr<favorite::GrpcFavoriteClient> favorites;
  std::unique_ptr<comment::GrpcCommentClient> comments;
  std::unique_ptr<relation::GrpcRelationClient> relations;
};

}  // namespace

int RunServiceProcess(const AppConfig& config, std::string_view service) {
  const auto info = FindService(service);
  if (!info) throw std::invalid_argument("no service named '" + std::string(service) + "'");
  Process process(config, *info);
  Remotes remotes(process);
  Composition modules(process.core(), ModulesOf(*info), remotes.Clients(), process.http_port(),
                      std::string(info->name));
  return process.Run(modules.Routes(), modules.GrpcServices());
}

}  // namespace reel::app
