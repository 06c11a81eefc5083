#include "video/video_module.hpp"

#include "kit/log/log.hpp"
#include "video/api/media_routes.hpp"
#include "video/api/video_grpc_service.hpp"
#include "video/api/video_routes.hpp"
#include "video/api/video_rpc.hpp"
#include "video/domain/upload_sweeper.hpp"
#include "video/domain/video_service.hpp"
#include "video/store/cached_video_repository.hpp"
#include "video/store/sql_video_repository.hpp"
#include "video/store/video_migrations.hpp"

namespace reel::video {
namespace {

// Where videos and their media rows are kept: SQLite, in the process's database file. A
// second driver is a second branch here.
std::unique_ptr<VideoRepository> OpenStore(app::ModuleContext& context) {
  return std::make_unique<SqlVideoRepository>(context.databases.Open(kVideoModule),
                                              &context.databases.OutboxOf(kVideoModule));
}

MediaSettings MediaSettingsOf(const app::AppConfig& config) {
  return {.max_upload_bytes = config.media.max_upload_bytes,
          .work_dir = config.http.spool_dir,
          .pending_upload_ttl = config.media.pending_upload_ttl,
          .max_pending_uploads = config.media.max_pending_uploads_per_user,
          .max_bytes_per_user = config.media.max_bytes_per_user,
          .pre_moderation = config.moderation.mode == "pre"};
}

class VideoModule final : public app::ServiceModule {
 public:
  explicit VideoModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        urls_(context.urls),
        max_upload_bytes_(context.config.media.max_upload_bytes),
        store_(OpenStore(context)),
        cached_(*store_, app::CacheEntries(context.config), &context.writes, context.shared_caches),
        blobs_(app::OpenMediaStore(context.config)),
        service_(app::CachesOn(context.config) ? cached_ : *store_, *blobs_,
                 MediaSettingsOf(context.config), context.clock,
                 context.databases.OutboxOf(kVideoModule)),
        rpc_(service_),
        grpc_(rpc_),
        sweeper_(context.config.media.sweep_interval, [this] { Sweep(); }) {}

  void ProvideClient(views::ServiceClients& clients) override { clients.videos = &rpc_; }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddVideoDouyinRoutes(router, rpc_, views.videos, authenticator_, max_upload_bytes_);
    AddVideoApiRoutes(router, rpc_, views.videos, urls_, authenticator_, max_upload_bytes_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  void Sweep() {
    const SweepReport swept = service_.ExpireUploads();
    if (swept.uploads > 0) {
      log::Info("expired uploads removed",
                {{"uploads", static_cast<std::int64_t>(swept.uploads)},
                 {"media_objects", static_cast<std::int64_t>(swept.objects)}});
    }
  }

  const auth::RequestAuthenticator& authenticator_;
  const views::MediaUrls& urls_;
  std::uint64_t max_upload_bytes_;
  std::unique_ptr<VideoRepository> store_;
  CachedVideoRepository cached_;  // in front of store_ when caches are on
  std::unique_ptr<blob::BlobStore> blobs_;
  VideoService service_;
  VideoRpc rpc_;
  VideoGrpcService grpc_;
  /// Expires unpublished uploads every media.sweep_interval. Last: it runs while the rest
  /// exists, and stops first.
  UploadSweeper sweeper_;
};

class MediaModule final : public app::ServiceModule {
 public:
  explicit MediaModule(app::ModuleContext& context) : blobs_(app::OpenMediaStore(context.config)) {}

  void AddRoutes(http::Router& router, const app::ModuleViews&) override {
    AddMediaRoutes(router, *blobs_);
  }

 private:
  std::unique_ptr<blob::BlobStore> blobs_;
};

std::unique_ptr<app::ServiceModule> MakeVideo(app::ModuleContext& context) {
  return std::make_unique<VideoModule>(context);
}

std::unique_ptr<app::ServiceModule> MakeMedia(app::ModuleContext& context) {
  return std::make_unique<MediaModule>(context);
}

}  // namespace

const app::ModuleSpec kVideoModule{
    .name = "video", .make = MakeVideo, .subscribes = {}, .migrations = VideoMigrations};

const app::ModuleSpec kMediaModule{.name = "media", .make = MakeMedia};

}  // namespace reel::video
