#include "comment/comment_module.hpp"

#include "comment/api/comment_events.hpp"
#include "comment/api/comment_grpc_service.hpp"
#include "comment/api/comment_routes.hpp"
#include "comment/api/comment_rpc.hpp"
#include "comment/domain/comment_service.hpp"
#include "comment/store/cached_comment_repository.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sqlite_comment_repository.hpp"
#include "views/lookups.hpp"

namespace reel::comment {
namespace {

constexpr events::EventKind kSubscribes[] = {events::EventKind::kVideoDeleted};

// Where comments and their counters are kept: SQLite, in the process's database file. A
// second driver is a second branch here.
std::unique_ptr<CommentRepository> OpenStore(app::ModuleContext& context) {
  return std::make_unique<SqliteCommentRepository>(context.databases.Sqlite(kCommentModule));
}

// The domain's port, answered by the video service.
class VideosThroughClient final : public VideoDirectory {
 public:
  explicit VideosThroughClient(video::VideoClient& videos) : videos_(videos) {}
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id) override {
    return views::AuthorOfVideo(videos_, video_id);
  }

 private:
  video::VideoClient& videos_;
};

class CommentModule final : public app::ServiceModule {
 public:
  explicit CommentModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        store_(OpenStore(context)),
        cached_(*store_, app::CacheEntries(context.config), &context.writes),
        video_directory_(app::Need(context.clients.videos, "comment", "video")),
        service_(app::CachesOn(context.config) ? cached_ : *store_, video_directory_,
                 context.publisher, context.clock),
        on_event_(CommentEventHandler(service_)),
        rpc_(service_),
        grpc_(rpc_) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.comments = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddCommentDouyinRoutes(router, rpc_, views.users, authenticator_);
    AddCommentApiRoutes(router, rpc_, views.users, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

  void OnEvent(const events::Event& event) override { on_event_(event); }

 private:
  const auth::RequestAuthenticator& authenticator_;
  std::unique_ptr<CommentRepository> store_;
  CachedCommentRepository cached_;  // in front of store_ when caches are on
  VideosThroughClient video_directory_;
  CommentService service_;
  events::InProcessEventBus::Handler on_event_;  // a deleted video's comments go with it
  CommentRpc rpc_;
  CommentGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<CommentModule>(context);
}

}  // namespace

const app::ModuleSpec kCommentModule{.name = "comment",
                                     .make = Make,
                                     .subscribes = kSubscribes,
                                     .sqlite_migrations = CommentSqliteMigrations};

}  // namespace reel::comment
