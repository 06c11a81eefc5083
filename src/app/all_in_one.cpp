#include "app/all_in_one.hpp"

#include <algorithm>
#include <filesystem>

#include "apidocs/apidocs_routes.hpp"
#include "app/web_routes.hpp"
#include "comment/api/comment_routes.hpp"
#include "favorite/api/favorite_routes.hpp"
#include "feed/api/feed_routes.hpp"
#include "relation/api/relation_routes.hpp"
#include "search/api/search_routes.hpp"
#include "user/api/user_routes.hpp"
#include "video/api/media_routes.hpp"
#include "video/api/video_routes.hpp"

namespace reel::app {
namespace {

constexpr std::string_view kAllComponents[] = {kUserComponent, kVideoComponent, kFavoriteComponent,
                                               kCommentComponent, kRelationComponent};

// Everything under data_dir (the token secret first) needs the directory.
const AppConfig& WithDataDir(const AppConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  return config;
}

std::unique_ptr<db::SqliteDb> OpenAllInOneDatabase(const AppConfig& config) {
  return OpenDatabase(config, "reel", SchemasOf(kAllComponents));
}

}  // namespace

std::span<const std::string_view> AllComponents() {
  return kAllComponents;
}

namespace {

// Rendered videos are reused here because every store is in this process and each write to
// them advances core.writes; a cluster's processes see only their own writes and render
// each time. A tenth of the cache size: a rendering is about 800 bytes.
std::unique_ptr<views::RenderedVideos> RenderedVideosOf(Core& core) {
  const int entries = core.config.database.cache_entries;
  if (entries <= 0) return nullptr;
  return std::make_unique<views::RenderedVideos>(
      core.writes, std::max<std::size_t>(64, static_cast<std::size_t>(entries) / 10));
}

}  // namespace

AllInOne::AllInOne(const AppConfig& config, Options options)
    : core_(WithDataDir(config)),
      port_(ListenPort(config, kAllPort)),
      db_(OpenAllInOneDatabase(config)),
      users_(core_, *db_),
      write_checks_(core_, users_.rpc),
      videos_(core_, *db_),
      video_authors_(videos_.rpc),
      known_users_(users_.rpc),
      favorites_(core_, *db_, video_authors_),
      comments_(core_, *db_, video_authors_),
      relations_(core_, *db_, known_users_),
      urls_(PublicBaseUrl(config, port_)),
      clients_{&users_.rpc, &videos_.rpc, &favorites_.rpc, &comments_.rpc, &relations_.rpc},
      user_views_(clients_, &urls_),
      rendered_videos_(RenderedVideosOf(core_)),
      video_views_(user_views_, clients_, urls_, rendered_videos_.get()),
      feed_(core_, clients_) {
  if (options.search) search_.emplace(core_, clients_);
}

http::Router AllInOne::Routes() {
  const auth::RequestAuthenticator& auth = core_.authenticator;
  http::Router router;
  // user
  user::AddUserDouyinRoutes(router, users_.rpc, user_views_, auth);
  user::AddUserApiRoutes(router, users_.rpc, user_views_, auth, users_.images);
  // video and media
  video::AddVideoDouyinRoutes(router, videos_.rpc, video_views_, auth,
                              core_.config.media.max_upload_bytes);
  video::AddVideoApiRoutes(router, videos_.rpc, video_views_, urls_, auth,
                           core_.config.media.max_upload_bytes);
  video::AddMediaRoutes(router, videos_.blobs);
  // feed
  feed::AddFeedDouyinRoutes(router, videos_.rpc, video_views_, auth, core_.clock);
  feed::AddFeedApiRoutes(router, feed_.rpc, video_views_, auth);
  // search
  if (search_) {
    search::AddSearchApiRoutes(router, search_->index, clients_, user_views_, video_views_, auth);
  }
  // favorite
  favorite::AddFavoriteDouyinRoutes(router, favorites_.rpc, video_views_, videos_.rpc, auth);
  favorite::AddFavoriteApiRoutes(router, favorites_.rpc, video_views_, videos_.rpc, users_.rpc,
                                 auth);
  // comment
  comment::AddCommentDouyinRoutes(router, comments_.rpc, user_views_, auth);
  comment::AddCommentApiRoutes(router, comments_.rpc, user_views_, auth);
  // relation and messages
  relation::AddRelationDouyinRoutes(router, relations_.rpc, user_views_, auth);
  relation::AddRelationApiRoutes(router, relations_.rpc, user_views_, auth);
  // the API document (/api/openapi.yaml)
  apidocs::AddApiDocsRoutes(router);
  // the web client, for every GET path no route above has, and its API docs page (/api/docs)
  AddWebRoutes(router, {core_.config.web.dist_dir, core_.config.media.max_upload_bytes});
  return router;
}

}  // namespace reel::app
