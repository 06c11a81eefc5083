#pragma once

#include <memory>
#include <optional>

#include "app/app_config.hpp"
#include "app/wiring.hpp"
#include "kit/http/router.hpp"
#include "views/media_urls.hpp"
#include "views/user_views.hpp"
#include "views/video_views.hpp"

namespace reel::app {

inline constexpr int kAllPort = 8080;

/// `reel all`: every service in one process, on one SQLite database, calling each other
/// in-process. Owns everything its routes refer to, so it must outlive the router.
class AllInOne {
 public:
  struct Options {
    /// Without it there are no search routes and the index is left alone (`reel reindex`
    /// builds a new one beside it).
    bool search = true;
  };

  /// Opens (creating when absent) the database under config.data_dir and builds every module.
  AllInOne(const AppConfig& config, Options options);
  explicit AllInOne(const AppConfig& config) : AllInOne(config, Options{}) {}

  /// Every HTTP route of the platform (health routes are added by Serve).
  http::Router Routes();
  Core& core() { return core_; }
  int port() const { return port_; }
  const views::ServiceClients& clients() const { return clients_; }

 private:
  Core core_;
  int port_;
  std::unique_ptr<db::SqliteDb> db_;
  UserModule users_;
  WriteChecks write_checks_;  // writes by unknown users or logged-out sessions are refused
  VideoModule videos_;
  VideoAuthors video_authors_;
  KnownUsers known_users_;
  FavoriteModule favorites_;
  CommentModule comments_;
  RelationModule relations_;
  views::MediaUrls urls_;
  views::ServiceClients clients_;
  views::UserViews user_views_;
  /// Null with the caches off: then not every write would advance core_.writes.
  std::unique_ptr<views::RenderedVideos> rendered_videos_;
  views::VideoViews video_views_;
  FeedModule feed_;
  std::optional<SearchModule> search_;  // after the services: its indexer reads them to the end
};

/// The components whose tables the all-in-one database holds.
std::span<const std::string_view> AllComponents();

}  // namespace reel::app
