#pragma once

#include "moderation/api/moderation_client.hpp"
#include "moderation/domain/moderation_service.hpp"

namespace reel::moderation {

/// The moderation service's API (proto/moderation/v1/moderation.proto), transport-free:
/// converts messages to domain calls and back; the rules live in ModerationService.
/// Thread-safe.
class ModerationRpc final : public ModerationClient {
 public:
  explicit ModerationRpc(ModerationService& service) : service_(service) {}

  Result<v1::CreateReportReply> CreateReport(const v1::CreateReportRequest& request) override;
  Result<v1::ListReportsReply> ListReports(const v1::ListReportsRequest& request) override;
  Result<v1::ResolveReportReply> ResolveReport(const v1::ResolveReportRequest& request) override;
  Result<v1::ReviewVideoReply> ReviewVideo(const v1::ReviewVideoRequest& request) override;
  Result<v1::SetModeratorReply> SetModerator(const v1::SetModeratorRequest& request) override;
  Result<v1::IsModeratorReply> IsModerator(const v1::IsModeratorRequest& request) override;
  Result<v1::ListActionsReply> ListActions(const v1::ListActionsRequest& request) override;

 private:
  ModerationService& service_;
};

void ToProto(const Report& report, v1::Report& out);
void ToProto(const Action& action, v1::Action& out);

}  // namespace reel::moderation
