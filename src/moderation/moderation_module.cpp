#include "moderation/moderation_module.hpp"

#include "moderation/api/client_targets.hpp"
#include "moderation/api/moderation_grpc_service.hpp"
#include "moderation/api/moderation_routes.hpp"
#include "moderation/api/moderation_rpc.hpp"
#include "moderation/domain/moderation_service.hpp"
#include "moderation/store/moderation_migrations.hpp"
#include "moderation/store/sql_moderation_repository.hpp"

namespace reel::moderation {
namespace {

ModerationSettings SettingsOf(const app::AppConfig& config) {
  ModerationSettings settings;
  settings.configured_moderators = {config.moderation.moderators.begin(),
                                    config.moderation.moderators.end()};
  settings.report_hide_threshold = config.moderation.report_hide_threshold;
  return settings;
}

class ModerationModule final : public app::ServiceModule {
 public:
  explicit ModerationModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        users_(app::Need(context.clients.users, "moderation", "user")),
        videos_(app::Need(context.clients.videos, "moderation", "video")),
        comments_(app::Need(context.clients.comments, "moderation", "comment")),
        // Reports are few and read by moderators only: no cache in front.
        store_(context.databases.Open(kModerationModule)),
        targets_(users_, videos_, comments_),
        service_(store_, targets_, SettingsOf(context.config), context.clock),
        rpc_(service_),
        grpc_(rpc_) {}

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddModerationApiRoutes(router, {rpc_, videos_, comments_, users_}, views.videos,
                           authenticator_);
  }

  grpc::Service* GrpcService() override { return &grpc_; }

 private:
  const auth::RequestAuthenticator& authenticator_;
  user::UserClient& users_;
  video::VideoClient& videos_;
  comment::CommentClient& comments_;
  SqlModerationRepository store_;
  ClientTargets targets_;
  ModerationService service_;
  ModerationRpc rpc_;
  ModerationGrpcService grpc_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<ModerationModule>(context);
}

}  // namespace

const app::ModuleSpec kModerationModule{
    .name = "moderation", .make = Make, .migrations = ModerationMigrations};

}  // namespace reel::moderation
