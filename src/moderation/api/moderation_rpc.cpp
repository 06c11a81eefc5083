#include "moderation/api/moderation_rpc.hpp"

namespace reel::moderation {
namespace {

Result<Target> TargetOf(v1::TargetType type, std::int64_t id) {
  if (type != v1::VIDEO && type != v1::COMMENT && type != v1::USER) {
    return InvalidArgument("TARGET_TYPE_INVALID", "target_type must be video, comment or user");
  }
  return Target{static_cast<TargetType>(type), id};
}

}  // namespace

void ToProto(const Report& report, v1::Report& out) {
  out.set_id(report.id);
  out.set_reporter_id(report.reporter_id);
  out.set_target_type(static_cast<v1::TargetType>(report.target.type));
  out.set_target_id(report.target.id);
  out.set_reason(static_cast<v1::ReportReason>(report.reason));
  out.set_text(report.text);
  out.set_status(static_cast<v1::ReportStatus>(report.status));
  out.set_created_at_ms(report.created_at_ms);
  out.set_resolved_by(report.resolved_by);
  out.set_resolved_at_ms(report.resolved_at_ms);
  out.set_resolution(report.resolution);
}

void ToProto(const Action& action, v1::Action& out) {
  out.set_id(action.id);
  out.set_moderator_id(action.moderator_id);
  out.set_action(action.action);
  out.set_target_type(static_cast<v1::TargetType>(action.target.type));
  out.set_target_id(action.target.id);
  out.set_reason(action.reason);
  out.set_at_ms(action.at_ms);
}

Result<v1::CreateReportReply> ModerationRpc::CreateReport(const v1::CreateReportRequest& request) {
  auto target = TargetOf(request.target_type(), request.target_id());
  if (!target.ok()) return target.status();
  auto stored = service_.CreateReport(
      {request.reporter_id(), *target, static_cast<int>(request.reason()), request.text()});
  if (!stored.ok()) return stored.status();
  v1::CreateReportReply reply;
  ToProto(stored->report, *reply.mutable_report());
  reply.set_changed(stored->changed);
  return reply;
}

Result<v1::ListReportsReply> ModerationRpc::ListReports(const v1::ListReportsRequest& request) {
  ReportStatus status = ReportStatus::kOpen;
  switch (request.status()) {
    case v1::REPORT_STATUS_UNSPECIFIED:
    case v1::OPEN:
      break;
    case v1::DISMISSED:
      status = ReportStatus::kDismissed;
      break;
    case v1::ACTIONED:
      status = ReportStatus::kActioned;
      break;
    default:
      return InvalidArgument("STATUS_INVALID", "status must be open, dismissed or actioned");
  }
  auto page =
      service_.ListReports(request.moderator_id(), status, request.cursor(), request.limit());
  if (!page.ok()) return page.status();
  v1::ListReportsReply reply;
  for (const Report& report : page->items) ToProto(report, *reply.add_reports());
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

Result<v1::ResolveReportReply> ModerationRpc::ResolveReport(
    const v1::ResolveReportRequest& request) {
  auto report = service_.ResolveReport(request.moderator_id(), request.report_id(),
                                       request.action(), request.note());
  if (!report.ok()) return report.status();
  v1::ResolveReportReply reply;
  ToProto(*report, *reply.mutable_report());
  return reply;
}

Result<v1::ReviewVideoReply> ModerationRpc::ReviewVideo(const v1::ReviewVideoRequest& request) {
  if (Status s = service_.ReviewVideo(request.moderator_id(), request.video_id(), request.approve(),
                                      request.reason());
      !s.ok()) {
    return s;
  }
  return v1::ReviewVideoReply{};
}

Result<v1::SetModeratorReply> ModerationRpc::SetModerator(const v1::SetModeratorRequest& request) {
  if (Status s = service_.SetModerator(request.moderator_id(), request.user_id(), request.grant());
      !s.ok()) {
    return s;
  }
  return v1::SetModeratorReply{};
}

Result<v1::IsModeratorReply> ModerationRpc::IsModerator(const v1::IsModeratorRequest& request) {
  auto moderator = service_.IsModerator(request.user_id());
  if (!moderator.ok()) return moderator.status();
  v1::IsModeratorReply reply;
  reply.set_moderator(*moderator);
  return reply;
}

Result<v1::ListActionsReply> ModerationRpc::ListActions(const v1::ListActionsRequest& request) {
  auto page = service_.ListActions(request.moderator_id(), request.cursor(), request.limit());
  if (!page.ok()) return page.status();
  v1::ListActionsReply reply;
  for (const Action& action : page->items) ToProto(action, *reply.add_actions());
  reply.set_next_cursor(page->next_cursor);
  return reply;
}

}  // namespace reel::moderation
