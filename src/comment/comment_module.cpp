#include "comment/comment_module.hpp"

#include "comment/api/comment_grpc_service.hpp"
#include "comment/api/comment_routes.hpp"
#include "comment/api/comment_rpc.hpp"
#include "comment/domain/comment_service.hpp"
#include "comment/store/cached_comment_repository.hpp"
#include "comment/store/comment_migrations.hpp"
#include "comment/store/sql_comment_repository.hpp"
#include "views/lookups.hpp"
#include "views/service_clients.hpp"

namespace reel::comment {
namespace {

// Where comments and their counters are kept: SQLite, in the process's database file. A
// second driver is a second branch here.
std::unique_ptr<CommentRepository> OpenStore(app::ModuleContext& context) {
  return std::make_unique<SqlCommentRepository>(context.databases.Open(kCommentModule),
                                                &context.databases.OutboxOf(kCommentModule));
}

// The domain's port, answered by the video service: the video as the acting user may see it
// (issue 16's visibility rule), or in any state for the service's own bookkeeping.
class VideosThroughClient final : public VideoDirectory {
 public:
  explicit VideosThroughClient(video::VideoClient& videos) : videos_(videos) {}
  Result<std::optional<std::int64_t>> AuthorOf(std::int64_t video_id,
                                               std::int64_t viewer_id) override {
    if (viewer_id == kAllStates) return views::AuthorOfVideo(videos_, video_id, 0, true);
    return views::AuthorOfVideo(videos_, video_id, viewer_id);
  }

 private:
  video::VideoClient& videos_;
};

// The block port, answered by the relation service. Relation comes after comment in the
// module list, so in a process hosting both its client is not there yet while this module is
// built: the slot is read at call time (it is filled before any request is served).
class BlocksThroughClient final : public BlockList {
 public:
  explicit BlocksThroughClient(const views::ServiceClients& clients) : clients_(clients) {}

  Result<std::vector<std::int64_t>> BlockedBy(std::int64_t actor_id,
                                              std::span<const std::int64_t> user_ids) override {
    auto relations = Relations();
    if (!relations.ok()) return relations.status();
    relation::v1::BlockedByRequest request;
    request.set_actor_id(actor_id);
    for (std::int64_t id : user_ids) request.add_user_ids(id);
    auto reply = (*relations)->BlockedBy(request);
    if (!reply.ok()) return reply.status();
    return std::vector<std::int64_t>(reply->blocker_ids().begin(), reply->blocker_ids().end());
  }

  Result<std::vector<std::int64_t>> BlockedIds(std::int64_t user_id) override {
    auto relations = Relations();
    if (!relations.ok()) return relations.status();
    relation::v1::BlockedIdsRequest request;
    request.set_user_id(user_id);
    request.set_limit(kMaxBlocked);
    auto reply = (*relations)->BlockedIds(request);
    if (!reply.ok()) return reply.status();
    return std::vector<std::int64_t>(reply->user_ids().begin(), reply->user_ids().end());
  }

 private:
  Result<relation::RelationClient*> Relations() const {
    if (!clients_.relations) return Internal("the comment module has no relation client");
    return clients_.relations;
  }

  const views::ServiceClients& clients_;
};

class CommentModule final : public app::ServiceModule {
 public:
  explicit CommentModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        store_(OpenStore(context)),
        cached_(*store_, app::CacheEntries(context.config), &context.writes, context.shared_caches),
        video_directory_(app::Need(context.clients.videos, "comment", "video")),
        blocks_(context.clients),
        service_(app::CachesOn(context.config) ? cached_ : *store_, video_directory_, blocks_,
                 context.databases.OutboxOf(kCommentModule), context.clock),
        rpc_(service_),
        grpc_(rpc_) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.comments = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddCommentDouyinRoutes(router, rpc_, views.users, authenticator_);
    AddCommentApiRoutes(router, rpc_, views.users, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  const auth::RequestAuthenticator& authenticator_;
  std::unique_ptr<CommentRepository> store_;
  CachedCommentRepository cached_;  // in front of store_ when caches are on
  VideosThroughClient video_directory_;
  BlocksThroughClient blocks_;
  CommentService service_;
  CommentRpc rpc_;
  CommentGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<CommentModule>(context);
}

}  // namespace

const app::ModuleSpec kCommentModule{
    .name = "comment", .make = Make, .migrations = CommentMigrations};

}  // namespace reel::comment
