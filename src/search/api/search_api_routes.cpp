// The search routes of the JSON API: hits from the Xapian index, objects from the services.
#include <algorithm>
#include <string>
#include <vector>

#include "kit/http/api_page.hpp"
#include "kit/http/params.hpp"
#include "kit/text/utf8.hpp"
#include "search/api/search_routes.hpp"
#include "search/search_indexer.hpp"
#include "views/degrade.hpp"
#include "views/user_json.hpp"

namespace reel::search {
namespace {

// Longer queries are not searches people type; they only cost time.
constexpr std::size_t kMaxQueryChars = 100;
// Deep pages cost the index more than anyone reads.
constexpr std::int64_t kMaxOffset = 10'000;

struct SearchQuery {
  std::string text;
  std::string_view kind;
  http::ApiPage page;
};

Result<SearchQuery> ReadQuery(const http::Params& params, std::string_view text_param,
                              std::string_view fixed_kind) {
  SearchQuery query;
  auto text = params.Required(text_param);
  if (!text.ok()) return text.status();
  query.text = std::string(*text);
  const std::optional<std::size_t> chars = text::CountCodePoints(query.text);
  if (!chars || *chars > kMaxQueryChars) {
    return InvalidArgument("QUERY_INVALID", "parameter '" + std::string(text_param) +
                                                "' must be valid UTF-8 of at most " +
                                                std::to_string(kMaxQueryChars) + " characters");
  }
  query.kind = fixed_kind;
  if (query.kind.empty()) {
    const std::string_view type = params.Get("type").value_or(kVideoKind);
    if (type != kVideoKind && type != kUserKind) {
      return InvalidArgument("PARAM_INVALID", "parameter 'type' must be video or user, got '" +
                                                  std::string(type) + "'");
    }
    query.kind = type == kVideoKind ? kVideoKind : kUserKind;
  }
  auto page = http::ReadApiPage(params);
  if (!page.ok()) return page.status();
  query.page = *page;
  return query;
}

// Issue 16: whom `viewer` blocked, whose videos and profiles leave the viewer's results. A
// relation service that cannot be reached leaves the results unfiltered (logged).
Result<std::vector<std::int64_t>> BlockedUsers(relation::RelationClient* relations,
                                               std::int64_t viewer) {
  if (viewer == 0 || relations == nullptr) return std::vector<std::int64_t>{};
  relation::v1::BlockedIdsRequest request;
  request.set_user_id(viewer);
  auto reply = relations->BlockedIds(request);
  if (!reply.ok()) {
    if (views::DegradeWhenDown(reply.status(), "blocked users")) {
      return std::vector<std::int64_t>{};
    }
    return reply.status();
  }
  return std::vector<std::int64_t>(reply->user_ids().begin(), reply->user_ids().end());
}

bool Contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Result<http::Response> Search(http::Request& req, std::string_view text_param,
                              std::string_view fixed_kind, const SearchIndex& index,
                              const views::ServiceClients& clients, views::UserViews& users,
                              views::VideoViews& videos, const auth::RequestAuthenticator& auth) {
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto viewer = auth.Optional(req, nullptr);
  if (!viewer.ok()) return viewer.status();
  auto query = ReadQuery(*params, text_param, fixed_kind);
  if (!query.ok()) return query.status();

  std::vector<Hit> hits;
  if (query->page.cursor <= kMaxOffset) {
    // One more than asked tells whether another page exists.
    hits = index.Search(query->kind, query->text, static_cast<std::size_t>(query->page.cursor),
                        static_cast<std::size_t>(query->page.limit) + 1);
  }
  const bool more = hits.size() > static_cast<std::size_t>(query->page.limit);
  if (more) hits.pop_back();
  // A page may come out shorter than `limit` for a viewer who blocked someone in it; the
  // cursor still counts index hits, so no hit is skipped or repeated.
  auto blocked = BlockedUsers(clients.relations, viewer->value_or(0));
  if (!blocked.ok()) return blocked.status();
  std::vector<std::int64_t> ids;
  for (const Hit& hit : hits) {
    if (query->kind != kUserKind || !Contains(*blocked, hit.id)) ids.push_back(hit.id);
  }

  json::JsonWriter w;
  w.BeginObject();
  if (query->kind == kVideoKind) {
    video::v1::GetVideosReply found;
    if (!ids.empty()) {
      video::v1::GetVideosRequest get;
      get.mutable_video_ids()->Add(ids.begin(), ids.end());
      // The index holds only videos visible to everyone; one made private or held a moment
      // ago, before its removal from the index, is left out here.
      get.set_viewer_id(viewer->value_or(0));
      auto reply = clients.videos->GetVideos(get);
      if (!reply.ok()) return reply.status();
      found = std::move(*reply);  // in hit order; a video deleted a moment ago is left out
      auto& list = *found.mutable_videos();
      list.erase(std::remove_if(
                     list.begin(), list.end(),
                     [&](const video::v1::Video& v) { return Contains(*blocked, v.author_id()); }),
                 list.end());
    }
    if (Status s = videos.WriteVideoArray(w, "videos", found.videos(), viewer->value_or(0));
        !s.ok()) {
      return s;
    }
  } else {
    std::unordered_map<std::int64_t, user::v1::User> found;
    if (!ids.empty()) {
      auto reply = users.Get(ids, viewer->value_or(0));
      if (!reply.ok()) return reply.status();
      found = std::move(*reply);
    }
    w.BeginArray("users");
    for (std::int64_t id : ids) {
      if (auto it = found.find(id); it != found.end()) views::WriteUserJson(w, it->second);
    }
    w.EndArray();
  }
  http::WriteApiPageEnd(w, more ? query->page.cursor + query->page.limit : 0);
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddSearchApiRoutes(http::Router& router, const SearchIndex& index,
                        const views::ServiceClients& clients, views::UserViews& users,
                        views::VideoViews& videos, const auth::RequestAuthenticator& auth) {
  const auto route = [&, clients](std::string_view text_param, std::string_view kind) {
    return [&, clients, text_param, kind](http::Request& req) {
      return Search(req, text_param, kind, index, clients, users, videos, auth);
    };
  };
  router.Add({.method = "GET", .pattern = "/api/search", .handler = route("q", "")});
  router.Add({.method = "GET", .pattern = "/api/video/search", .handler = route("q", kVideoKind)});
  router.Add(
      {.method = "GET", .pattern = "/api/video/get/title", .handler = route("title", kVideoKind)});
}

}  // namespace reel::search
