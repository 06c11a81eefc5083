// The JSON API's moderation routes: reports by users, and the moderators' queue, review,
// role grants and action log under /api/admin/.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"
#include "moderation/api/moderation_routes.hpp"

namespace reel::moderation {
namespace {

// Names as the API spells them, indexed by the proto enums' numbers (0: unspecified).
constexpr std::array<std::string_view, 4> kTargetTypes = {"", "video", "comment", "user"};
constexpr std::array<std::string_view, 9> kReasons = {
    "", "spam", "harassment", "hate", "violence", "sexual", "misinformation", "copyright", "other"};
constexpr std::array<std::string_view, 4> kStatuses = {"", "open", "dismissed", "actioned"};

template <std::size_t N>
std::optional<int> IndexOf(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 1; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

template <std::size_t N>
std::string_view NameAt(const std::array<std::string_view, N>& names, int index) {
  return index > 0 && static_cast<std::size_t>(index) < N ? names[index] : "";
}

void WriteReport(json::JsonWriter& w, const v1::Report& r, const std::string* summary = nullptr) {
  w.BeginObject()
      .Field("id", r.id())
      .Field("reporter_id", r.reporter_id())
      .Field("target_type", NameAt(kTargetTypes, r.target_type()))
      .Field("target_id", r.target_id())
      .Field("reason", NameAt(kReasons, r.reason()))
      .Field("text", r.text())
      .Field("status", NameAt(kStatuses, r.status()))
      .Field("created_at", r.created_at_ms())
      .Field("resolved_by", r.resolved_by())
      .Field("resolved_at", r.resolved_at_ms())
      .Field("resolution", r.resolution());
  if (summary) w.Field("target_summary", *summary);
  w.EndObject();
}

Result<http::Response> CreateReport(http::Request& req, ModerationClient& moderation,
                                    const auth::RequestAuthenticator& auth) {
  auto reporter = auth.Require(req, nullptr);
  if (!reporter.ok()) return reporter.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto type = params->Required("target_type");
  if (!type.ok()) return type.status();
  auto type_index = IndexOf(kTargetTypes, *type);
  if (!type_index) {
    return InvalidArgument("TARGET_TYPE_INVALID", "target_type must be video, comment or user");
  }
  auto target_id = params->RequiredId("target_id");
  if (!target_id.ok()) return target_id.status();
  auto reason = params->Required("reason");
  if (!reason.ok()) return reason.status();
  auto reason_index = IndexOf(kReasons, *reason);
  if (!reason_index) {
    return InvalidArgument("REASON_INVALID",
                           "reason must be one of spam, harassment, hate, violence, sexual, "
                           "misinformation, copyright, other");
  }
  v1::CreateReportRequest request;
  request.set_reporter_id(*reporter);
  request.set_target_type(static_cast<v1::TargetType>(*type_index));
  request.set_target_id(*target_id);
  request.set_reason(static_cast<v1::ReportReason>(*reason_index));
  request.set_text(std::string(params->Get("text").value_or("")));
  auto reply = moderation.CreateReport(request);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().Key("report");
  WriteReport(w, reply->report());
  w.Field("changed", reply->changed()).EndObject();
  return http::Response::Json(w.Take());
}

Result<bool> IsModerator(ModerationClient& moderation, std::int64_t user) {
  v1::IsModeratorRequest request;
  request.set_user_id(user);
  auto reply = moderation.IsModerator(request);
  if (!reply.ok()) return reply.status();
  return reply->moderator();
}

// What every admin route starts from, read in this order: the caller, who must be a
// moderator (403 NOT_A_MODERATOR otherwise, before anything else is looked at), the route's
// `{id}` when it has one (`id_what` names it in the refusal), then the parameters.
struct AdminCall {
  std::int64_t moderator = 0;
  std::int64_t id = 0;
  http::Params params;
};

Result<AdminCall> BeginAdminCall(http::Request& req, ModerationClient& moderation,
                                 const auth::RequestAuthenticator& auth,
                                 std::string_view id_what = {}) {
  auto caller = auth.Require(req, nullptr);
  if (!caller.ok()) return caller.status();
  auto moderator = IsModerator(moderation, *caller);
  if (!moderator.ok()) return moderator.status();
  if (!*moderator) return PermissionDenied("NOT_A_MODERATOR", "only moderators may do this");
  AdminCall call{.moderator = *caller};
  if (!id_what.empty()) {
    auto id = http::PathId(req, "id", id_what);
    if (!id.ok()) return id.status();
    call.id = *id;
  }
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  call.params = std::move(*params);
  return call;
}

Result<http::Response> Me(http::Request& req, ModerationClient& moderation,
                          const auth::RequestAuthenticator& auth) {
  auto caller = auth.Require(req, nullptr);
  if (!caller.ok()) return caller.status();
  auto moderator = IsModerator(moderation, *caller);
  if (!moderator.ok()) return moderator.status();
  json::JsonWriter w;
  w.BeginObject().Field("user_id", *caller).Field("moderator", *moderator).EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> ListVideos(http::Request& req, const ModerationRouteClients& clients,
                                  views::VideoViews& views,
                                  const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, clients.moderation, auth);
  if (!call.ok()) return call.status();
  const std::string_view status = call->params.Get("status").value_or("pending");
  video::v1::ListForReviewRequest request;
  if (status == "pending") {
    request.set_audit_status(video::v1::PENDING);
  } else if (status == "rejected") {
    request.set_audit_status(video::v1::REJECTED);
  } else {
    return InvalidArgument("PARAM_INVALID", "status must be pending or rejected");
  }
  auto page = http::ReadApiPage(call->params);
  if (!page.ok()) return page.status();
  request.set_cursor(page->cursor);
  request.set_limit(page->limit);
  auto reply = clients.videos.ListForReview(request);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject();
  // Rendered for the moderator: the video objects as their author sees them (audit state
  // and reason included), whatever their state.
  if (Status s = views.WriteVideoArray(w, "videos", reply->videos(), call->moderator); !s.ok())
    return s;
  http::WriteApiPageEnd(w, reply->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Review(http::Request& req, ModerationClient& moderation,
                              const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, moderation, auth, "video id");
  if (!call.ok()) return call.status();
  auto action = call->params.Required("action");
  if (!action.ok()) return action.status();
  if (*action != "approve" && *action != "reject") {
    return InvalidArgument("ACTION_INVALID", "action must be \"approve\" or \"reject\"");
  }
  v1::ReviewVideoRequest request;
  request.set_moderator_id(call->moderator);
  request.set_video_id(call->id);
  request.set_approve(*action == "approve");
  request.set_reason(std::string(call->params.Get("reason").value_or("")));
  if (auto reply = moderation.ReviewVideo(request); !reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject()
      .Field("video_id", call->id)
      .Field("audit_status", *action == "approve" ? "approved" : "rejected")
      .EndObject();
  return http::Response::Json(w.Take());
}

// A line saying what each report's target is (a video's title, a comment's text, a user's
// name), read with all states: moderators see hidden targets. Best effort: a service that
// does not answer leaves its summaries out.
// A report target's key in the summaries: "video:12".
std::string SummaryKey(int target_type, std::int64_t target_id) {
  return std::string(NameAt(kTargetTypes, target_type)) + ":" + std::to_string(target_id);
}

std::unordered_map<std::string, std::string> Summaries(const ModerationRouteClients& clients,
                                                       const v1::ListReportsReply& reports) {
  std::unordered_map<std::string, std::string> out;
  video::v1::GetVideosRequest videos;
  videos.set_all_states(true);
  comment::v1::GetCommentsRequest comments;
  user::v1::BatchGetUsersRequest users;
  users.set_all_states(true);
  for (const auto& r : reports.reports()) {
    if (r.target_type() == v1::VIDEO) videos.add_video_ids(r.target_id());
    if (r.target_type() == v1::COMMENT) comments.add_comment_ids(r.target_id());
    if (r.target_type() == v1::USER) users.add_user_ids(r.target_id());
  }
  if (videos.video_ids_size() > 0) {
    if (auto reply = clients.videos.GetVideos(videos); reply.ok()) {
      for (const auto& v : reply->videos()) out[SummaryKey(v1::VIDEO, v.id())] = v.title();
    }
  }
  if (comments.comment_ids_size() > 0) {
    if (auto reply = clients.comments.GetComments(comments); reply.ok()) {
      for (const auto& c : reply->comments()) out[SummaryKey(v1::COMMENT, c.id())] = c.content();
    }
  }
  if (users.user_ids_size() > 0) {
    if (auto reply = clients.users.BatchGetUsers(users); reply.ok()) {
      for (const auto& u : reply->users()) out[SummaryKey(v1::USER, u.id())] = u.name();
    }
  }
  return out;
}

Result<http::Response> ListReports(http::Request& req, const ModerationRouteClients& clients,
                                   const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, clients.moderation, auth);
  if (!call.ok()) return call.status();
  auto status = IndexOf(kStatuses, call->params.Get("status").value_or("open"));
  if (!status)
    return InvalidArgument("PARAM_INVALID", "status must be open, dismissed or actioned");
  auto page = http::ReadApiPage(call->params);
  if (!page.ok()) return page.status();
  v1::ListReportsRequest request;
  request.set_moderator_id(call->moderator);
  request.set_status(static_cast<v1::ReportStatus>(*status));
  request.set_cursor(page->cursor);
  request.set_limit(page->limit);
  auto reply = clients.moderation.ListReports(request);
  if (!reply.ok()) return reply.status();
  const auto summaries = Summaries(clients, *reply);
  json::JsonWriter w;
  w.BeginObject().BeginArray("reports");
  for (const auto& r : reply->reports()) {
    auto found = summaries.find(SummaryKey(r.target_type(), r.target_id()));
    WriteReport(w, r, found != summaries.end() ? &found->second : nullptr);
  }
  w.EndArray();
  http::WriteApiPageEnd(w, reply->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Resolve(http::Request& req, ModerationClient& moderation,
                               const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, moderation, auth, "report id");
  if (!call.ok()) return call.status();
  auto action = call->params.Required("action");
  if (!action.ok()) return action.status();
  v1::ResolveReportRequest request;
  request.set_moderator_id(call->moderator);
  request.set_report_id(call->id);
  request.set_action(std::string(*action));
  request.set_note(std::string(call->params.Get("note").value_or("")));
  auto reply = moderation.ResolveReport(request);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().Key("report");
  WriteReport(w, reply->report());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> ListActions(http::Request& req, ModerationClient& moderation,
                                   const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, moderation, auth);
  if (!call.ok()) return call.status();
  auto page = http::ReadApiPage(call->params);
  if (!page.ok()) return page.status();
  v1::ListActionsRequest request;
  request.set_moderator_id(call->moderator);
  request.set_cursor(page->cursor);
  request.set_limit(page->limit);
  auto reply = moderation.ListActions(request);
  if (!reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().BeginArray("actions");
  for (const auto& a : reply->actions()) {
    w.BeginObject()
        .Field("id", a.id())
        .Field("moderator_id", a.moderator_id())
        .Field("action", a.action())
        .Field("target_type", NameAt(kTargetTypes, a.target_type()))
        .Field("target_id", a.target_id())
        .Field("reason", a.reason())
        .Field("at", a.at_ms())
        .EndObject();
  }
  w.EndArray();
  http::WriteApiPageEnd(w, reply->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> SetModerator(http::Request& req, ModerationClient& moderation,
                                    const auth::RequestAuthenticator& auth) {
  auto call = BeginAdminCall(req, moderation, auth);
  if (!call.ok()) return call.status();
  auto user_id = call->params.RequiredId("user_id");
  if (!user_id.ok()) return user_id.status();
  auto grant = call->params.Required("grant");
  if (!grant.ok()) return grant.status();
  if (*grant != "true" && *grant != "false") {
    return InvalidArgument("PARAM_INVALID", "grant must be true or false");
  }
  v1::SetModeratorRequest request;
  request.set_moderator_id(call->moderator);
  request.set_user_id(*user_id);
  request.set_grant(*grant == "true");
  if (auto reply = moderation.SetModerator(request); !reply.ok()) return reply.status();
  json::JsonWriter w;
  w.BeginObject().Field("user_id", *user_id).Field("moderator", *grant == "true").EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddModerationApiRoutes(http::Router& router, const ModerationRouteClients& clients,
                            views::VideoViews& views, const auth::RequestAuthenticator& auth) {
  ModerationClient& moderation = clients.moderation;
  router.Add({.method = "POST",
              .pattern = "/api/report/create",
              .handler = [&](http::Request& req) { return CreateReport(req, moderation, auth); }});
  router.Add({.method = "GET", .pattern = "/api/admin/me", .handler = [&](http::Request& req) {
                return Me(req, moderation, auth);
              }});
  router.Add({.method = "GET",
              .pattern = "/api/admin/videos",
              .handler = [clients, &views, &auth](http::Request& req) {
                return ListVideos(req, clients, views, auth);
              }});
  router.Add({.method = "POST",
              .pattern = "/api/admin/videos/{id}/review",
              .handler = [&](http::Request& req) { return Review(req, moderation, auth); }});
  router.Add({.method = "GET",
              .pattern = "/api/admin/reports",
              .handler = [clients, &auth](http::Request& req) {
                return ListReports(req, clients, auth);
              }});
  router.Add({.method = "POST",
              .pattern = "/api/admin/reports/{id}/resolve",
              .handler = [&](http::Request& req) { return Resolve(req, moderation, auth); }});
  router.Add({.method = "GET", .pattern = "/api/admin/actions", .handler = [&](http::Request& req) {
                return ListActions(req, moderation, auth);
              }});
  router.Add({.method = "POST",
              .pattern = "/api/admin/moderators",
              .handler = [&](http::Request& req) { return SetModerator(req, moderation, auth); }});
}

}  // namespace reel::moderation
