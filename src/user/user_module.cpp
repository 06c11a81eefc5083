#include "user/user_module.hpp"

#include "kit/auth/password_hasher.hpp"
#include "kit/limits/redis_rate_limiter.hpp"
#include "user/api/user_grpc_service.hpp"
#include "user/api/user_routes.hpp"
#include "user/api/user_rpc.hpp"
#include "user/domain/login_throttle.hpp"
#include "user/domain/profile_editor.hpp"
#include "user/domain/user_service.hpp"
#include "user/media/profile_images.hpp"
#include "user/store/cached_session_repository.hpp"
#include "user/store/cached_user_repository.hpp"
#include "user/store/sql_session_repository.hpp"
#include "user/store/sql_user_repository.hpp"
#include "user/store/user_migrations.hpp"

namespace reel::user {
namespace {

struct Stores {
  std::unique_ptr<UserRepository> users;
  std::unique_ptr<SessionRepository> sessions;
};

// Where users and sessions are kept: SQLite, in the process's database file. A second
// driver is a second branch here.
Stores OpenStores(app::ModuleContext& context) {
  db::Database& db = context.databases.Open(kUserModule);
  return {std::make_unique<SqlUserRepository>(db, &context.databases.OutboxOf(kUserModule)),
          std::make_unique<SqlSessionRepository>(db)};
}

class UserModule final : public app::ServiceModule {
 public:
  explicit UserModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        stores_(OpenStores(context)),
        cached_(*stores_.users, app::CacheEntries(context.config), &context.writes,
                context.shared_caches),
        cached_sessions_(*stores_.sessions, app::CacheEntries(context.config), context.clock,
                         context.shared_caches),
        hasher_(context.config.auth.argon2),
        // Failed logins counted across the replicas when the deployment has a Redis.
        failed_logins_(
            context.config.failed_login,
            limits::SharedOrLocalRateLimiters(context.redis, context.clock,
                                              {.key_prefix = context.config.redis.key_prefix})),
        service_(app::CachesOn(context.config) ? cached_ : *stores_.users,
                 app::CachesOn(context.config) ? cached_sessions_ : *stores_.sessions, hasher_,
                 context.signer, failed_logins_, context.clock,
                 context.databases.OutboxOf(kUserModule)),
        blobs_(app::OpenMediaStore(context.config)),
        images_(*blobs_, context.config.http.spool_dir),
        profiles_(service_, images_),
        rpc_(service_, profiles_),
        grpc_(rpc_) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.users = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddUserDouyinRoutes(router, rpc_, views.users, authenticator_);
    AddUserApiRoutes(router, rpc_, views.users, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  const auth::RequestAuthenticator& authenticator_;
  Stores stores_;
  CachedUserRepository cached_;              // in front of stores_.users when caches are on
  CachedSessionRepository cached_sessions_;  // and of stores_.sessions
  auth::PasswordHasher hasher_;
  LoginThrottle failed_logins_;
  UserService service_;
  std::unique_ptr<blob::BlobStore> blobs_;  // pictures, beside the videos
  ProfileImages images_;
  ProfileEditor profiles_;
  UserRpc rpc_;
  UserGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<UserModule>(context);
}

}  // namespace

const app::ModuleSpec kUserModule{
    .name = "user", .make = Make, .subscribes = {}, .migrations = UserMigrations};

}  // namespace reel::user
