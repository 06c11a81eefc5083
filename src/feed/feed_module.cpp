#include "feed/feed_module.hpp"

#include "feed/api/feed_grpc_service.hpp"
#include "feed/api/feed_routes.hpp"
#include "feed/api/feed_rpc.hpp"
#include "feed/api/hot_candidates.hpp"
#include "feed/domain/hot_snapshots.hpp"

namespace reel::feed {
namespace {

class FeedModule final : public app::ServiceModule {
 public:
  explicit FeedModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        clients_(context.clients),
        hot_([this] { return GatherHotCandidates(clients_); }, context.clock),
        rpc_(clients_, hot_, context.clock),
        grpc_(rpc_) {
    app::Need(clients_.videos, "feed", "video");
  }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddFeedDouyinRoutes(router, rpc_, views.videos, authenticator_);
    AddFeedApiRoutes(router, rpc_, views.videos, authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

  // What moves the hot ranking's counts: its next page ranks anew (HotSnapshots::MarkStale).
  void OnEvent(const events::Event&) override { hot_.MarkStale(); }

 private:
  const auth::RequestAuthenticator& authenticator_;
  views::ServiceClients clients_;  // as they were when it was built: every service's
  HotSnapshots hot_;
  FeedRpc rpc_;
  FeedGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<FeedModule>(context);
}

// The events that move the hot ranking's counts.
constexpr events::EventKind kSubscribes[] = {
    events::EventKind::kVideoPublished, events::EventKind::kVideoUpdated,
    events::EventKind::kVideoDeleted,   events::EventKind::kVideoLiked,
    events::EventKind::kVideoUnliked,   events::EventKind::kCommentCreated,
    events::EventKind::kCommentDeleted,
};

}  // namespace

// Each feed process keeps its own rankings, so each hears every event that moves them.
const app::ModuleSpec kFeedModule{
    .name = "feed", .make = Make, .subscribes = kSubscribes, .consumes_in_every_process = true};

}  // namespace reel::feed
