#include "search/search_module.hpp"

#include <filesystem>
#include <stdexcept>

#include "kit/log/log.hpp"
#include "search/api/search_routes.hpp"
#include "search/search_index.hpp"
#include "search/search_indexer.hpp"

namespace reel::search {
namespace {

using events::EventKind;

// Everything SearchIndexer::OnEvent acts on: what is findable, and popularity.
constexpr EventKind kSubscribes[] = {
    EventKind::kVideoPublished, EventKind::kVideoUpdated,   EventKind::kVideoDeleted,
    EventKind::kUserRegistered, EventKind::kUserUpdated,    EventKind::kVideoLiked,
    EventKind::kVideoUnliked,   EventKind::kCommentCreated, EventKind::kCommentDeleted,
};

class SearchModule final : public app::ServiceModule {
 public:
  explicit SearchModule(app::ModuleContext& context)
      : authenticator_(context.authenticator),
        clients_(context.clients),
        fresh_(!std::filesystem::exists(SearchIndexDirectory(context.config))),
        index_(SearchIndexDirectory(context.config)),
        indexer_(index_, clients_) {
    if (fresh_) IndexEverything();
  }

  void AddRoutes(http::Router& router, const app::ModuleViews& views) override {
    AddSearchApiRoutes(router, index_, clients_, views.users, views.videos, authenticator_);
  }

  void OnEvent(const events::Event& event) override { indexer_.OnEvent(event); }

 private:
  // First start, or the index was deleted: whatever the services hold becomes findable.
  void IndexEverything() {
    std::size_t videos = 0;
    std::size_t users = 0;
    if (Status s = indexer_.IndexEverything([&](std::size_t v, std::size_t u) {
          videos = v;
          users = u;
        });
        !s.ok()) {
      throw std::runtime_error("building the search index: " + s.message);
    }
    log::Info("search index built", {{"videos", static_cast<std::int64_t>(videos)},
                                     {"users", static_cast<std::int64_t>(users)}});
  }

  const auth::RequestAuthenticator& authenticator_;
  views::ServiceClients clients_;  // as they were when it was built: every service's
  bool fresh_;                     // the index directory did not exist
  SearchIndex index_;
  SearchIndexer indexer_;
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext& context) {
  return std::make_unique<SearchModule>(context);
}

}  // namespace

// Each process hosting search keeps an index of its own, so each follows every event.
const app::ModuleSpec kSearchModule{
    .name = "search", .make = Make, .subscribes = kSubscribes, .consumes_in_every_process = true};

std::string SearchIndexDirectory(const app::AppConfig& config) {
  return app::DataPath(config, "search");
}

}  // namespace reel::search
