#include "app/modules.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "apidocs/apidocs_module.hpp"
#include "app/web_routes.hpp"
#include "comment/comment_module.hpp"
#include "favorite/favorite_module.hpp"
#include "feed/feed_module.hpp"
#include "job/job_module.hpp"
#include "moderation/moderation_module.hpp"
#include "relation/relation_module.hpp"
#include "search/search_module.hpp"
#include "user/user_module.hpp"
#include "video/video_module.hpp"

namespace reel::app {
namespace {

// The web client (web/dist) as the router's GET fallback, and its API docs page.
class WebModule final : public ServiceModule {
 public:
  explicit WebModule(const AppConfig& config)
      : options_{config.web.dist_dir, config.media.max_upload_bytes} {}
  void AddRoutes(http::Router& router, const ModuleViews&) override {
    AddWebRoutes(router, options_);
  }

 private:
  WebClientOptions options_;
};

const ModuleSpec kWebModule{
    .name = "web", .make = [](ModuleContext& context) {
      return std::unique_ptr<ServiceModule>(std::make_unique<WebModule>(context.config));
    }};

// The order modules are built in: the services others ask while being built (user, video)
// first; feed and search, which read every service, after them; the web client last, the
// fallback for every GET path no module has.
const ModuleSpec* const kModules[] = {
    &user::kUserModule,       &video::kVideoModule,
    &video::kMediaModule,     &favorite::kFavoriteModule,
    &comment::kCommentModule, &relation::kRelationModule,
    &job::kJobModule,         &feed::kFeedModule,
    &search::kSearchModule,   &moderation::kModerationModule,
    &apidocs::kApiDocsModule, &kWebModule,
};

constexpr std::string_view kAll[] = {"user",    "video",    "media", "favorite",
                                     "comment", "relation", "job",   "feed",
                                     "search",  "apidocs",  "web",   "moderation"};
// The user process serves its pictures (/media) when run alone, and the API document.
constexpr std::string_view kUser[] = {"user", "media", "apidocs"};
// The video process owns the search index and serves /media for the cluster.
constexpr std::string_view kVideo[] = {"video", "media", "search"};
constexpr std::string_view kFavorite[] = {"favorite"};
constexpr std::string_view kComment[] = {"comment"};
constexpr std::string_view kFeed[] = {"feed"};
constexpr std::string_view kRelation[] = {"relation"};
constexpr std::string_view kModeration[] = {"moderation"};
// The job service: the consumers that act through the other services' APIs.
constexpr std::string_view kJob[] = {"job"};

constexpr ProcessSpec kAllInOne{"all", 8080, 0, kAll};
constexpr ProcessSpec kServiceProcesses[] = {
    {"user", 8081, 9081, kUser},         {"video", 8082, 9082, kVideo},
    {"favorite", 8083, 9083, kFavorite}, {"comment", 8084, 9084, kComment},
    {"feed", 8085, 9085, kFeed},         {"relation", 8086, 9086, kRelation},
    {"job", 8087, 9087, kJob},           {"moderation", 8088, 9088, kModeration},
};

}  // namespace

std::span<const ModuleSpec* const> AllModules() {
  return kModules;
}

const ModuleSpec* FindModule(std::string_view name) {
  for (const ModuleSpec* spec : kModules) {
    if (spec->name == name) return spec;
  }
  return nullptr;
}

const ProcessSpec& AllInOneProcess() {
  return kAllInOne;
}

std::span<const ProcessSpec> ServiceProcesses() {
  return kServiceProcesses;
}

std::optional<ProcessSpec> FindService(std::string_view name) {
  for (const ProcessSpec& p : kServiceProcesses) {
    if (p.name == name) return p;
  }
  return std::nullopt;
}

bool Hosts(const ProcessSpec& process, std::string_view module) {
  return std::ranges::find(process.modules, module) != process.modules.end();
}

std::vector<const ModuleSpec*> ModulesOf(const ProcessSpec& process) {
  for (std::string_view name : process.modules) {
    if (!FindModule(name)) {
      throw std::logic_error("process " + std::string(process.name) + " hosts no module named " +
                             std::string(name));
    }
  }
  std::vector<const ModuleSpec*> out;
  for (const ModuleSpec* spec : kModules) {
    if (Hosts(process, spec->name)) out.push_back(spec);
  }
  return out;
}

}  // namespace reel::app
