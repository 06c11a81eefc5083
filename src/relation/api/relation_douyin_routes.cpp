// Douyin simple-version social routes: following, the three user listings, and messages.
#include <algorithm>
#include <string>
#include <vector>

#include "kit/http/auth/list_query.hpp"
#include "kit/http/douyin_envelope.hpp"
#include "kit/http/douyin_time.hpp"
#include "kit/http/params.hpp"
#include "relation/api/relation_json.hpp"
#include "relation/api/relation_routes.hpp"
#include "relation/domain/relation_service.hpp"
#include "views/user_json.hpp"

namespace reel::relation {
namespace {

constexpr std::int64_t kFollowAction = 1;
constexpr std::int64_t kUnfollowAction = 2;
constexpr std::int64_t kSendAction = 1;

void UserListDefaults(json::JsonWriter& w) {
  w.BeginArray("user_list").EndArray().Field("next_cursor", std::int64_t{0});
}

void MessageListDefaults(json::JsonWriter& w) {
  w.BeginArray("message_list").EndArray();
}

// What every relation and message action starts with: who acts, towards whom, and how.
struct TargetedAction {
  http::Params params;
  std::int64_t user = 0;
  std::int64_t to_user = 0;
  std::int64_t action = 0;
};

Result<TargetedAction> ReadTargetedAction(const http::Request& req,
                                          const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user = auth.Require(req, &*params);
  if (!user.ok()) return user.status();
  auto to_user = params->RequiredId("to_user_id");
  if (!to_user.ok()) return to_user.status();
  auto action = params->RequiredInt("action_type");
  if (!action.ok()) return action.status();
  return TargetedAction{std::move(*params), *user, *to_user, *action};
}

Result<http::Response> RelationAction(http::Request& req, RelationRpc& relations,
                                      const auth::RequestAuthenticator& auth) {
  auto act = ReadTargetedAction(req, auth);
  if (!act.ok()) return act.status();
  if (act->action == kFollowAction) {
    v1::FollowRequest request;
    request.set_user_id(act->user);
    request.set_to_user_id(act->to_user);
    auto reply = relations.Follow(request);
    if (!reply.ok()) return reply.status();
    return http::DouyinDone(reply->changed(), "already following");
  }
  if (act->action == kUnfollowAction) {
    v1::UnfollowRequest request;
    request.set_user_id(act->user);
    request.set_to_user_id(act->to_user);
    auto reply = relations.Unfollow(request);
    if (!reply.ok()) return reply.status();
    return http::DouyinDone(reply->changed(), "not following");
  }
  return InvalidArgument("PARAM_INVALID", "action_type must be 1 (follow) or 2 (unfollow)");
}

// A friend is the user object with the latest message of the conversation appended.
void WriteFriendJson(json::JsonWriter& w, const user::v1::User& user, std::int64_t user_id,
                     const v1::Message* latest) {
  WriteUserJsonWith(w, user, [&](json::JsonWriter& more) {
    more.Field("message", latest ? latest->content() : std::string())
        .Field("msgType", latest && latest->from_user_id() == user_id ? 1 : 0);
  });
}

Result<http::Response> UserList(http::Request& req, RelationKind kind, RelationRpc& relations,
                                views::UserViews& users, const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto query = auth::ReadListQuery(req, *params, auth);
  if (!query.ok()) return query.status();

  auto people = relations.ListPeople({.owner = query->owner,
                                      .kind = kind,
                                      .viewer = query->viewer,
                                      .cursor = query->cursor,
                                      // 0: the service's default page size
                                      .limit = static_cast<int>(query->limit)});
  if (!people.ok()) return people.status();
  const std::vector<std::int64_t> ids(people->page.user_ids().begin(),
                                      people->page.user_ids().end());
  auto found = users.Get(ids, query->viewer);
  if (!found.ok()) return found.status();

  const auto& latest = people->latest.latest();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.BeginArray("user_list");
  for (std::int64_t id : ids) {
    auto user = found->find(id);
    if (user == found->end()) continue;  // gone since the follow
    if (kind != RelationKind::kFriends) {
      views::WriteUserJson(w, user->second);
      continue;
    }
    auto message = latest.find(id);
    WriteFriendJson(w, user->second, query->owner,
                    message == latest.end() ? nullptr : &message->second);
  }
  w.EndArray().Field("next_cursor", people->page.next_cursor());
  return http::FinishDouyin(w);
}

Result<http::Response> MessageAction(http::Request& req, RelationRpc& relations,
                                     const auth::RequestAuthenticator& auth) {
  auto act = ReadTargetedAction(req, auth);
  if (!act.ok()) return act.status();
  if (act->action != kSendAction) {
    return InvalidArgument("PARAM_INVALID", "action_type must be 1 (send)");
  }
  auto content = act->params.Required("content");
  if (!content.ok()) return content.status();
  v1::SendMessageRequest request;
  request.set_from_user_id(act->user);
  request.set_to_user_id(act->to_user);
  request.set_content(std::string(*content));
  auto sent = relations.SendMessage(request);
  if (!sent.ok()) return sent.status();
  return http::DouyinDone();
}

Result<http::Response> MessageChat(http::Request& req, RelationRpc& relations,
                                   const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user = auth.Require(req, &*params);
  if (!user.ok()) return user.status();
  auto peer = params->RequiredId("to_user_id");
  if (!peer.ok()) return peer.status();
  auto after = params->OptionalInt("pre_msg_time");
  if (!after.ok()) return after.status();

  v1::ChatRequest request;
  request.set_user_id(*user);
  request.set_peer_id(*peer);
  // Clients send the create_time of the newest message they hold, in seconds or ms.
  request.set_after_ms(http::DouyinTimeMs(after->value_or(0)));
  auto chat = relations.Chat(request);
  if (!chat.ok()) return chat.status();
  json::JsonWriter w;
  http::BeginDouyinOk(w);
  w.BeginArray("message_list");
  for (const v1::Message& m : chat->messages()) {
    w.BeginObject()
        .Field("id", m.id())
        .Field("to_user_id", m.to_user_id())
        .Field("from_user_id", m.from_user_id())
        .Field("content", m.content())
        .Field("create_time", m.created_at_ms())
        .EndObject();
  }
  w.EndArray();
  return http::FinishDouyin(w);
}

}  // namespace

void AddRelationDouyinRoutes(http::Router& router, RelationRpc& relations, views::UserViews& users,
                             const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/douyin/relation/action",
              .handler = [&](http::Request& req) { return RelationAction(req, relations, auth); },
              .render_error = http::DouyinErrorRenderer()});
  const std::pair<const char*, RelationKind> lists[] = {
      {"/douyin/relation/follow/list", RelationKind::kFollowing},
      {"/douyin/relation/follower/list", RelationKind::kFollowers},
      {"/douyin/relation/friend/list", RelationKind::kFriends}};
  for (const auto& [pattern, kind] : lists) {
    router.Add(
        {.method = "GET",
         .pattern = pattern,
         .handler = [&relations, &users, &auth, kind = kind](
                        http::Request& req) { return UserList(req, kind, relations, users, auth); },
         .render_error = http::DouyinErrorRenderer(UserListDefaults)});
  }
  router.Add({.method = "POST",
              .pattern = "/douyin/message/action",
              .handler = [&](http::Request& req) { return MessageAction(req, relations, auth); },
              .render_error = http::DouyinErrorRenderer()});
  router.Add({.method = "GET",
              .pattern = "/douyin/message/chat",
              .handler = [&](http::Request& req) { return MessageChat(req, relations, auth); },
              .render_error = http::DouyinErrorRenderer(MessageListDefaults)});
}

}  // namespace reel::relation
