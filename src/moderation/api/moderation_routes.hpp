#pragma once

#include "comment/api/comment_client.hpp"
#include "kit/http/auth/request_authenticator.hpp"
#include "kit/http/router.hpp"
#include "moderation/api/moderation_client.hpp"
#include "user/api/user_client.hpp"
#include "video/api/video_client.hpp"
#include "views/video_views.hpp"

namespace reel::moderation {

/// What the moderation routes read besides the moderation service.
struct ModerationRouteClients {
  ModerationClient& moderation;
  video::VideoClient& videos;
  comment::CommentClient& comments;
  user::UserClient& users;
};

/// The JSON API's moderation routes (/api error shape, bearer tokens only):
///   POST /api/report/create (auth; {target_type: video|comment|user, target_id, reason:
///     spam|harassment|hate|violence|sexual|misinformation|copyright|other, text?}) answers
///     {report, changed}; a second open report on the same target answers the first with
///     changed false.
/// and, for moderators only (403 NOT_A_MODERATOR for anyone else, 401 without a token):
///   GET  /api/admin/me            {moderator} (any signed-in user may ask)
///   GET  /api/admin/videos        ?status=pending|rejected&cursor&limit: {videos, ...page}
///   POST /api/admin/videos/{id}/review {action: approve|reject, reason}
///   GET  /api/admin/reports       ?status=open|dismissed|actioned&cursor&limit
///   POST /api/admin/reports/{id}/resolve {action: dismiss|remove, note?}
///   GET  /api/admin/actions       ?cursor&limit: the action log, newest first
///   POST /api/admin/moderators    {user_id, grant} (moderators named in the config only)
void AddModerationApiRoutes(http::Router& router, const ModerationRouteClients& clients,
                            views::VideoViews& views, const auth::RequestAuthenticator& auth);

}  // namespace reel::moderation
