#include "favorite/favorite_module.hpp"

#include "favorite/api/favorite_grpc_service.hpp"
#include "favorite/api/favorite_routes.hpp"
#include "favorite/api/favorite_rpc.hpp"
#include "favorite/domain/collection_service.hpp"
#include "favorite/domain/favorite_service.hpp"
#include "favorite/store/cached_favorite_repository.hpp"
#include "favorite/store/favorite_migrations.hpp"
#include "favorite/store/sql_collection_repository.hpp"
#include "favorite/store/sql_favorite_repository.hpp"
#include "views/lookups.hpp"

namespace reel::favorite {
namespace {

// Where likes and their counters are kept: the module's database (SQLite: the process's file,
// MySQL: reel_favorite), one repository for both engines.
std::unique_ptr<FavoriteRepository> OpenStore(app::ModuleContext& context) {
  return std::make_unique<SqlFavoriteRepository>(context.databases.Open(kFavoriteModule),
                                                 &context.databases.OutboxOf(kFavoriteModule));
}

// The domain's ports, answered by the services that own videos and users.
class VideosThroughClient final : public VideoDirectory {
 public:
  explicit VideosThroughClient(video::VideoClient& videos) : videos_(videos) {}
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                               std::int64_t viewer_id) override {
    // As the acting user may see it (issue 16 visibility), or in every state.
    if (viewer_id == kAllStates) return views::AuthorOfVideo(videos_, video_id, 0, true);
    return views::AuthorOfVideo(videos_, video_id, viewer_id);
  }

 private:
  video::VideoClient& videos_;
};

class UsersThroughClient final : public UserDirectory {
 public:
  explicit UsersThroughClient(user::UserClient& users) : users_(users) {}
  Result<bool> Exists(std::int64_t user_id) override { return views::UserExists(users_, user_id); }

 private:
  user::UserClient& users_;
};

class FavoriteModule final : public app::ServiceModule {
 public:
  explicit FavoriteModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        videos_(app::Need(context.clients.videos, "favorite", "video")),
        store_(OpenStore(context)),
        cached_(*store_, app::CacheEntries(context.config), &context.writes, context.shared_caches),
        video_directory_(videos_),
        user_directory_(app::Need(context.clients.users, "favorite", "user")),
        service_(app::CachesOn(context.config) ? cached_ : *store_, video_directory_,
                 user_directory_, context.databases.OutboxOf(kFavoriteModule), context.clock),
        collection_store_(context.databases.Open(kFavoriteModule), &context.writes),
        collections_(collection_store_, video_directory_, user_directory_, context.clock),
        rpc_(service_, collections_),
        grpc_(rpc_) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.favorites = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddFavoriteDouyinRoutes(router, rpc_, views.videos, videos_, authenticator_);
    AddFavoriteApiRoutes(router, rpc_, views.videos, videos_, authenticator_);
    AddCollectionApiRoutes(router, rpc_, views.videos, videos_, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  const auth::RequestAuthenticator& authenticator_;
  video::VideoClient& videos_;
  std::unique_ptr<FavoriteRepository> store_;
  CachedFavoriteRepository cached_;  // in front of store_ when caches are on
  VideosThroughClient video_directory_;
  UsersThroughClient user_directory_;
  FavoriteService service_;
  SqlCollectionRepository collection_store_;  // bookmarks, shares (issue 16)
  CollectionService collections_;
  FavoriteRpc rpc_;
  FavoriteGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<FavoriteModule>(context);
}

}  // namespace

const app::ModuleSpec kFavoriteModule{
    .name = "favorite", .make = Make, .migrations = FavoriteMigrations};

}  // namespace reel::favorite
