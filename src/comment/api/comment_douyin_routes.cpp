// Douyin simple-version comment routes: commenting, deleting a comment, listing a video's
// comments with their authors.
#include <algorithm>
#include <string>

#include "comment/api/comment_json.hpp"
#include "comment/api/comment_routes.hpp"
#include "comment/domain/comment_service.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/params.hpp"

namespace reel::comment {
namespace {

constexpr std::int64_t kActionPublish = 1;
constexpr std::int64_t kActionDelete = 2;

Result<http::Response> Publish(const http::Params& params, std::int64_t user_id,
                               CommentClient& comments, views::UserViews& users) {
  auto video_id = params.RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto text = params.Required("comment_text");
  if (!text.ok()) return text.status();
  auto parent_id = ReadParentId(params);
  if (!parent_id.ok()) return parent_id.status();
  v1::CreateCommentRequest create;
  create.set_user_id(user_id);
  create.set_video_id(*video_id);
  create.set_content(std::string(*text));
  create.set_parent_id(*parent_id);
  auto created = comments.Create(create);
  if (!created.ok()) return created.status();
  auto author = users.GetOne(user_id, user_id);
  if (!author.ok()) return author.status();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.Key("comment");
  WriteCommentJson(w, created->comment(), *author);
  return http::FinishDouyin(w);
}

// video_id is not needed to delete (comment_id names the comment), so a client that leaves
// it out is not refused.
Result<http::Response> Remove(const http::Params& params, std::int64_t user_id,
                              CommentClient& comments) {
  auto comment_id = params.RequiredId("comment_id");
  if (!comment_id.ok()) return comment_id.status();
  v1::DeleteCommentRequest remove;
  remove.set_user_id(user_id);
  remove.set_comment_id(*comment_id);
  auto removed = comments.Delete(remove);
  if (!removed.ok()) return removed.status();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.Key("comment").Null();
  return http::FinishDouyin(w);
}

Result<http::Response> Action(http::Request& req, CommentClient& comments, views::UserViews& users,
                              const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user_id = auth.Require(req, &*params);
  if (!user_id.ok()) return user_id.status();
  auto action = params->RequiredInt("action_type");
  if (!action.ok()) return action.status();
  if (*action == kActionPublish) return Publish(*params, *user_id, comments, users);
  if (*action == kActionDelete) return Remove(*params, *user_id, comments);
  const std::string got = std::to_string(*action);
  return InvalidArgument("PARAM_INVALID",
                         "parameter 'action_type' must be 1 (comment) or 2 (delete), got " + got);
}

Result<http::Response> List(http::Request& req, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, &*params);
  if (!viewer.ok()) return viewer.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto cursor = params->OptionalInt("cursor");
  if (!cursor.ok()) return cursor.status();
  auto limit = params->OptionalInt("limit");
  if (!limit.ok()) return limit.status();

  v1::ListCommentsRequest list;
  list.set_video_id(*video_id);
  list.set_cursor(cursor->value_or(0));
  // Every comment, replies included, newest first: the list agrees with comment_count, and
  // Douyin clients have no place for threads.
  list.set_viewer_id(viewer->value_or(0));
  // Narrowed to int without changing what the service makes of it (0: default size,
  // negative: the smallest page, past the maximum: the largest).
  list.set_limit(static_cast<int>(
      std::clamp<std::int64_t>(limit->value_or(0), -1, CommentService::kMaxPageSize + 1)));
  auto page = comments.List(list);
  if (!page.ok()) return page.status();

  auto authors = CommentAuthors(users, page->comments(), viewer->value_or(0));
  if (!authors.ok()) return authors.status();

  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.BeginArray("comment_list");
  for (const auto& c : page->comments()) {
    // A comment whose author has since gone cannot be shown with a user object.
    if (auto it = authors->find(c.user_id()); it != authors->end()) {
      WriteCommentJson(w, c, it->second);
    }
  }
  w.EndArray().Field("next_cursor", page->next_cursor());
  return http::FinishDouyin(w);
}

}  // namespace

void AddCommentDouyinRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/douyin/comment/action",
              .handler = [&](http::Request& req) { return Action(req, comments, users, auth); },
              .render_error =
                  http::DouyinErrorRenderer([](json::JsonWriter& w) { w.Key("comment").Null(); })});
  router.Add({.method = "GET",
              .pattern = "/douyin/comment/list",
              .handler = [&](http::Request& req) { return List(req, comments, users, auth); },
              .render_error = http::DouyinErrorRenderer(
                  [](json::JsonWriter& w) { w.BeginArray("comment_list").EndArray(); })});
}

}  // namespace reel::comment
