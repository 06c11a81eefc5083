#include "apidocs/apidocs_module.hpp"

#include "apidocs/apidocs_routes.hpp"

namespace reel::apidocs {
namespace {

class ApiDocsModule final : public app::ServiceModule {
 public:
  void AddRoutes(http::Router& router, const app::ModuleViews&) override {
    AddApiDocsRoutes(router);
  }
};

std::unique_ptr<app::ServiceModule> Make(app::ModuleContext&) {
  return std::make_unique<ApiDocsModule>();
}

}  // namespace

const app::ModuleSpec kApiDocsModule{.name = "apidocs", .make = Make};

}  // namespace reel::apidocs
