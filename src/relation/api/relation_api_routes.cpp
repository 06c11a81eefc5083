// The JSON API's social routes: following, the user listings, and direct messages.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"
#include "relation/api/relation_json.hpp"
#include "relation/api/relation_routes.hpp"
#include "relation/api/user_pair_action.hpp"
#include "views/user_json.hpp"

namespace reel::relation {
namespace {

std::optional<RelationKind> KindNamed(std::string_view type) {
  if (type == "follow") return RelationKind::kFollowing;
  if (type == "follower") return RelationKind::kFollowers;
  if (type == "friend") return RelationKind::kFriends;
  return std::nullopt;
}

Result<http::Response> Control(http::Request& req, RelationRpc& relations,
                               const auth::RequestAuthenticator& auth) {
  // Only the Authorization header counts on /api: tokens stay out of URLs.
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto to_user = params->RequiredId("to_user_id");
  if (!to_user.ok()) return to_user.status();
  // Whether new or not, after "follow" the caller follows, after "unfollow" not.
  auto follows = params->RequiredSwitch("action", "follow", "unfollow");
  if (!follows.ok()) return follows.status();

  auto changed = *follows ? UserPairAction(relations, &RelationClient::Follow, *user, *to_user)
                          : UserPairAction(relations, &RelationClient::Unfollow, *user, *to_user);
  if (!changed.ok()) return changed.status();
  json::JsonWriter w;
  w.BeginObject().Field("changed", *changed).Field("is_follow", *follows).EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> List(http::Request& req, RelationRpc& relations, views::UserViews& views,
                            const auth::RequestAuthenticator& auth) {
  // A token that is sent must be valid, even when user_id names someone.
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto user_id = params->OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  const std::string_view type = params->Get("type").value_or("follow");
  const auto kind = KindNamed(type);
  if (!kind) {
    return InvalidArgument(
        "PARAM_INVALID", "parameter 'type' must be \"follow\", \"follower\" or \"friend\", got '" +
                             std::string(type) + "'");
  }
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();
  const std::int64_t viewer_id = viewer->value_or(0);

  const std::int64_t owner = user_id->value_or(viewer_id);
  // One's own lists need no look-up (the token names a user who exists, hidden or not).
  auto people = relations.ListPeople({.owner = owner,
                                      .kind = *kind,
                                      .viewer = viewer_id,
                                      .cursor = page->cursor,
                                      .limit = page->limit,
                                      .owner_must_exist = owner != viewer_id});
  if (!people.ok()) return people.status();
  const std::vector<std::int64_t> ids(people->page.user_ids().begin(),
                                      people->page.user_ids().end());
  std::unordered_map<std::int64_t, user::v1::User> found;
  if (!ids.empty()) {
    auto got = views.Get(ids, viewer_id);
    if (!got.ok()) return got.status();
    found = std::move(*got);
  }

  // Only on the caller's own friend list does last_message appear (ListPeople decides).
  const auto& latest = people->latest.latest();
  json::JsonWriter w;
  w.BeginObject().BeginArray("users");
  for (std::int64_t id : ids) {
    const auto user = found.find(id);
    if (user == found.end()) continue;  // gone since the follow
    if (!people->with_messages) {
      views::WriteUserJson(w, user->second);
      continue;
    }
    WriteUserJsonWith(w, user->second, [&](json::JsonWriter& more) {
      more.Key("last_message");
      const auto message = latest.find(id);
      if (message == latest.end()) {
        more.Null();
      } else {
        WriteMessageJson(more, message->second);
      }
    });
  }
  w.EndArray();
  http::WriteApiPageEnd(w, people->page.next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Send(http::Request& req, RelationRpc& relations,
                            const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto to_user = params->RequiredId("to_user_id");
  if (!to_user.ok()) return to_user.status();
  auto content = params->Required("content");
  if (!content.ok()) return content.status();

  v1::SendMessageRequest request;
  request.set_from_user_id(*user);
  request.set_to_user_id(*to_user);
  request.set_content(std::string(*content));
  auto sent = relations.SendMessage(request);
  if (!sent.ok()) return sent.status();
  json::JsonWriter w;
  w.BeginObject().Key("message");
  WriteMessageJson(w, sent->message());
  w.EndObject();
  return http::Response::Json(w.Take());
}

// `limit` of a chat poll: the /api list range, without a cursor (`after` plays its part).
Result<int> ChatLimit(const http::Params& params) {
  auto limit = params.OptionalInt("limit");
  if (!limit.ok()) return limit.status();
  if (!*limit) return http::ApiPage::kDefaultLimit;
  if (**limit < 1 || **limit > http::ApiPage::kMaxLimit) {
    return InvalidArgument("PARAM_INVALID", "parameter 'limit' must be between 1 and " +
                                                std::to_string(http::ApiPage::kMaxLimit));
  }
  return static_cast<int>(**limit);
}

Result<http::Response> Chat(http::Request& req, RelationRpc& relations,
                            const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto peer = params->RequiredId("to_user_id");
  if (!peer.ok()) return peer.status();
  auto after = params->OptionalInt("after");
  if (!after.ok()) return after.status();
  if (after->value_or(0) < 0) {
    return InvalidArgument("PARAM_INVALID",
                           "parameter 'after' must be the created_at of a message, or 0");
  }
  auto limit = ChatLimit(*params);
  if (!limit.ok()) return limit.status();
  v1::ChatRequest request;
  request.set_user_id(*user);
  request.set_peer_id(*peer);
  request.set_after_ms(after->value_or(0));
  request.set_limit(*limit);
  request.set_peer_must_exist(true);  // a wrong peer id is a 404, not an empty conversation
  auto chat = relations.Chat(request);
  if (!chat.ok()) return chat.status();
  json::JsonWriter w;
  w.BeginObject().BeginArray("messages");
  for (const v1::Message& m : chat->messages()) WriteMessageJson(w, m);
  w.EndArray();
  // Times are unique and increasing, so polling with this never returns a message twice.
  const std::int64_t next_after =
      chat->messages().empty() ? after->value_or(0) : chat->messages().rbegin()->created_at_ms();
  w.Field("next_after", next_after).EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddRelationApiRoutes(http::Router& router, RelationRpc& relations, views::UserViews& views,
                          const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/relation/control",
              .handler = [&](http::Request& req) { return Control(req, relations, auth); }});
  router.Add({.method = "GET", .pattern = "/api/relation/list", .handler = [&](http::Request& req) {
                return List(req, relations, views, auth);
              }});
  router.Add({.method = "POST", .pattern = "/api/message/send", .handler = [&](http::Request& req) {
                return Send(req, relations, auth);
              }});
  router.Add({.method = "GET", .pattern = "/api/message/chat", .handler = [&](http::Request& req) {
                return Chat(req, relations, auth);
              }});
}

}  // namespace reel::relation
