#include "job/job_module.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "job/api/job_grpc_service.hpp"
#include "job/api/job_rpc.hpp"
#include "job/counters_reconciler.hpp"
#include "kit/log/log.hpp"

namespace reel::job {
namespace {

using events::EventKind;

constexpr EventKind kSubscribes[] = {EventKind::kVideoDeleted};

// Throws what a call returned, so the bus retries the event.
template <typename T>
void ThrowIfFailed(const Result<T>& result, std::string_view what) {
  if (!result.ok()) {
    throw StatusError(result.status(), std::string(what) + ": " + result.status().message);
  }
}

bus::Bus& BusOf(const app::ModuleContext& context) {
  if (!context.bus) throw std::logic_error("the job module needs its process's bus");
  return *context.bus;
}

class JobModule final : public app::ServiceModule {
 public:
  explicit JobModule(app::ModuleContext& context)
      : favorites_(app::Need(context.clients.favorites, "job", "favorite")),
        comments_(app::Need(context.clients.comments, "job", "comment")),
        reconciler_(context.clients, context.config.job.reconcile_interval),
        rpc_(BusOf(context), context.clients),
        grpc_(rpc_) {}

  void AddRoutes(http::Router&, const app::ModuleViews&) override {}
  grpc::Service* GrpcService() override { return &grpc_; }

  void OnEvent(const events::Event& event) override {
    if (event.kind != EventKind::kVideoDeleted) return;
    favorite::v1::ForgetVideoRequest forget_likes;
    forget_likes.set_video_id(event.subject_id);
    ThrowIfFailed(favorites_.ForgetVideo(forget_likes), "favorite ForgetVideo");
    comment::v1::ForgetVideoRequest forget_comments;
    forget_comments.set_video_id(event.subject_id);
    ThrowIfFailed(comments_.ForgetVideo(forget_comments), "comment ForgetVideo");
  }

 private:
  favorite::FavoriteClient& favorites_;
  comment::CommentClient& comments_;
  CountersReconciler reconciler_;
  JobRpc rpc_;
  JobGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<JobModule>(context);
}

}  // namespace

const app::ModuleSpec kJobModule{.name = "job", .make = Make, .subscribes = kSubscribes};

}  // namespace reel::job
