// The JSON API's block routes (issue 16): block or unblock a user, and the blocked list.
#include <string>
#include <unordered_map>
#include <vector>

#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"
#include "relation/api/relation_routes.hpp"
#include "relation/api/user_pair_action.hpp"
#include "views/user_json.hpp"

namespace reel::relation {
namespace {

Result<http::Response> BlockAction(http::Request& req, RelationRpc& relations,
                                   const auth::RequestAuthenticator& auth) {
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto to_user = params->RequiredId("to_user_id");
  if (!to_user.ok()) return to_user.status();
  // Whether new or not, after "block" the caller blocks them, after "unblock" not.
  auto blocked = params->RequiredSwitch("action", "block", "unblock");
  if (!blocked.ok()) return blocked.status();

  auto changed = *blocked ? UserPairAction(relations, &RelationClient::Block, *user, *to_user)
                          : UserPairAction(relations, &RelationClient::Unblock, *user, *to_user);
  if (!changed.ok()) return changed.status();
  json::JsonWriter w;
  w.BeginObject().Field("changed", *changed).Field("is_blocked", *blocked).EndObject();
  return http::Response::Json(w.Take());
}

Result<http::Response> Blocked(http::Request& req, RelationRpc& relations, views::UserViews& views,
                               const auth::RequestAuthenticator& auth) {
  // Whom one blocked is nobody else's business: only the caller's own list exists.
  auto user = auth.Require(req, nullptr);
  if (!user.ok()) return user.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto page = http::ReadApiPage(*params);
  if (!page.ok()) return page.status();
  auto only = params->OptionalId("to_user_id");
  if (!only.ok()) return only.status();

  v1::ListBlockedReply listed;
  if (*only) {
    // Whether the caller blocked this one user (a profile's block button), without walking
    // the list: the one-user page, or an empty one.
    v1::BlockedByRequest request;
    request.set_actor_id(**only);
    request.add_user_ids(*user);
    auto by = relations.BlockedBy(request);
    if (!by.ok()) return by.status();
    if (!by->blocker_ids().empty()) listed.add_user_ids(**only);
  } else {
    v1::ListBlockedRequest request;
    request.set_user_id(*user);
    request.set_cursor(page->cursor);
    request.set_limit(page->limit);
    auto reply = relations.ListBlocked(request);
    if (!reply.ok()) return reply.status();
    listed = std::move(*reply);
  }
  const std::vector<std::int64_t> ids(listed.user_ids().begin(), listed.user_ids().end());
  std::unordered_map<std::int64_t, user::v1::User> found;
  if (!ids.empty()) {
    auto got = views.Get(ids, *user);
    if (!got.ok()) return got.status();
    found = std::move(*got);
  }
  json::JsonWriter w;
  w.BeginObject().BeginArray("users");
  for (std::int64_t id : ids) {
    if (auto it = found.find(id); it != found.end()) views::WriteUserJson(w, it->second);
  }
  w.EndArray();
  http::WriteApiPageEnd(w, listed.next_cursor());
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddRelationBlockRoutes(http::Router& router, RelationRpc& relations, views::UserViews& views,
                            const auth::RequestAuthenticator& auth) {
  router.Add({.method = "POST",
              .pattern = "/api/relation/block",
              .handler = [&](http::Request& req) { return BlockAction(req, relations, auth); }});
  router.Add({.method = "GET",
              .pattern = "/api/relation/blocked",
              .handler = [&](http::Request& req) { return Blocked(req, relations, views, auth); }});
}

}  // namespace reel::relation
