#include "relation/relation_module.hpp"

#include "relation/api/relation_grpc_service.hpp"
#include "relation/api/relation_routes.hpp"
#include "relation/api/relation_rpc.hpp"
#include "relation/domain/relation_service.hpp"
#include "relation/store/cached_relation_repository.hpp"
#include "relation/store/relation_migrations.hpp"
#include "relation/store/sql_relation_repository.hpp"
#include "views/lookups.hpp"

namespace reel::relation {
namespace {

// Where follows and messages are kept: SQLite, in the process's database file. A second
// driver is a second branch here.
std::unique_ptr<RelationRepository> OpenStore(app::ModuleContext& context) {
  return std::make_unique<SqlRelationRepository>(context.databases.Open(kRelationModule));
}

// The domain's port, answered by the user service.
class UsersThroughClient final : public UserDirectory {
 public:
  explicit UsersThroughClient(user::UserClient& users) : users_(users) {}
  Result<bool> Exists(std::int64_t user_id) override { return views::UserExists(users_, user_id); }

 private:
  user::UserClient& users_;
};

class RelationModule final : public app::ServiceModule {
 public:
  explicit RelationModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        store_(OpenStore(context)),
        cached_(*store_, app::CacheEntries(context.config), &context.writes, context.shared_caches),
        user_directory_(app::Need(context.clients.users, "relation", "user")),
        service_(app::CachesOn(context.config) ? cached_ : *store_, user_directory_, context.clock),
        rpc_(service_),
        grpc_(rpc_) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.relations = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddRelationDouyinRoutes(router, rpc_, views.users, authenticator_);
    AddRelationApiRoutes(router, rpc_, views.users, authenticator_);
    AddRelationBlockRoutes(router, rpc_, views.users, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  const auth::RequestAuthenticator& authenticator_;
  std::unique_ptr<RelationRepository> store_;
  CachedRelationRepository cached_;  // in front of store_ when caches are on
  UsersThroughClient user_directory_;
  RelationService service_;
  RelationRpc rpc_;
  RelationGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<RelationModule>(context);
}

}  // namespace

const app::ModuleSpec kRelationModule{
    .name = "relation", .make = Make, .subscribes = {}, .migrations = RelationMigrations};

}  // namespace reel::relation
