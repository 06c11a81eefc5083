// The JSON API's comment routes: commenting and replying, deleting a comment, listing a
// video's comment threads and one comment's replies.
#include <string>
#include <string_view>

#include "comment/api/comment_json.hpp"
#include "comment/api/comment_routes.hpp"
#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"

namespace reel::comment {
namespace {

Result<http::Response> Create(http::Request& req, CommentClient& comments, views::UserViews& users,
                              const auth::RequestAuthenticator& auth) {
  // Only the Authorization header counts on /api: tokens stay out of URLs.
  auto user_id = auth.Require(req, nullptr);
  if (!user_id.ok()) return user_id.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto content = params->Required("content");
  if (!content.ok()) return content.status();
  auto parent_id = ReadParentId(*params);
  if (!parent_id.ok()) return parent_id.status();

  v1::CreateCommentRequest create;
  create.set_user_id(*user_id);
  create.set_video_id(*video_id);
  create.set_content(std::string(*content));
  create.set_parent_id(*parent_id);
  auto created = comments.Create(create);
  if (!created.ok()) return created.status();
  google::protobuf::RepeatedPtrField<v1::Comment> one;
  *one.Add() = created->comment();
  auto people = CommentPeople(users, one, *user_id);
  if (!people.ok()) return people.status();
  if (!people->contains(*user_id)) {
    return Internal("the author of comment " + std::to_string(created->comment().id()) +
                    " is unknown");
  }
  json::JsonWriter w;
  w.BeginObject().Key("comment");
  WriteApiCommentJson(w, created->comment(), *people, false);
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Delete(http::Request& req, CommentClient& comments,
                              const auth::RequestAuthenticator& auth) {
  auto user_id = auth.Require(req, nullptr);
  if (!user_id.ok()) return user_id.status();
  auto comment_id = http::PathId(req, "id", "comment id");
  if (!comment_id.ok()) return comment_id.status();
  v1::DeleteCommentRequest remove;
  remove.set_user_id(*user_id);
  remove.set_comment_id(*comment_id);
  auto removed = comments.Delete(remove);
  if (!removed.ok()) return removed.status();
  json::JsonWriter w;
  w.BeginObject().Field("deleted", true).EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> List(http::Request& req, CommentClient& comments, views::UserViews& users,
                            const auth::RequestAuthenticator& auth) {
  // A token that is sent must be valid, though reading needs none.
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto video_id = params->RequiredId("video_id");
  if (!video_id.ok()) return video_id.status();
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();

  v1::ListCommentsRequest list;
  list.set_video_id(*video_id);
  list.set_cursor(page->cursor);
  list.set_limit(page->limit);
  list.set_top_level_only(true);
  list.set_viewer_id(viewer->value_or(0));
  auto listed = comments.List(list);
  if (!listed.ok()) return listed.status();
  auto people = CommentPeople(users, listed->comments(), viewer->value_or(0));
  if (!people.ok()) return people.status();

  json::JsonWriter w;
  w.BeginObject().BeginArray("comments");
  // A comment whose author has since gone cannot be shown with a user object: left out.
  for (const v1::Comment& c : listed->comments()) WriteApiCommentJson(w, c, *people, true);
  w.EndArray();
  http::WriteApiPageEnd(w, listed->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Replies(http::Request& req, CommentClient& comments, views::UserViews& users,
                               const auth::RequestAuthenticator& auth) {
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto comment_id = params->RequiredId("comment_id");
  if (!comment_id.ok()) return comment_id.status();
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();

  v1::ListRepliesRequest list;
  list.set_comment_id(*comment_id);
  list.set_cursor(page->cursor);
  list.set_limit(page->limit);
  list.set_viewer_id(viewer->value_or(0));
  auto listed = comments.ListReplies(list);
  if (!listed.ok()) return listed.status();
  auto people = CommentPeople(users, listed->replies(), viewer->value_or(0));
  if (!people.ok()) return people.status();

  json::JsonWriter w;
  w.BeginObject().BeginArray("replies");
  for (const v1::Comment& c : listed->replies()) WriteApiCommentJson(w, c, *people, false);
  w.EndArray();
  http::WriteApiPageEnd(w, listed->next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddCommentApiRoutes(http::Router& router, CommentClient& comments, views::UserViews& users,
                         const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/comment/create",
              .handler = [&](http::Request& req) { return Create(req, comments, users, auth); }});
  // The seed brief's README spells it "creat"; a client written from it works unchanged.
  router.Add({.method = "POST",
              .pattern = "/api/comment/creat",
              .handler = [&](http::Request& req) { return Create(req, comments, users, auth); }});
  router.Add({.method = "DELETE",
              .pattern = "/api/comment/{id}",
              .handler = [&](http::Request& req) { return Delete(req, comments, auth); }});
  router.Add({.method = "GET", .pattern = "/api/comment/get", .handler = [&](http::Request& req) {
                return List(req, comments, users, auth);
              }});
  router.Add({.method = "GET",
              .pattern = "/api/comment/replies",
              .handler = [&](http::Request& req) { return Replies(req, comments, users, auth); }});
}

}  // namespace reel::comment
