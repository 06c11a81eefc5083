#include "app/all_in_one.hpp"

#include <filesystem>

#include "app/modules.hpp"

namespace reel::app {
namespace {

// Everything under data_dir (the token secret first) needs the directory.
const AppConfig& WithDataDir(const AppConfig& config) {
  std::filesystem::create_directories(config.data_dir);
  return config;
}

// The bus before the modules: they join its consumer groups as they are built.
Core& WithBus(Core& core) {
  core.bus = OpenBus(core.config, core.redis.get(), /*all_in_one=*/true);
  return core;
}

std::vector<const ModuleSpec*> ModulesWith(AllInOne::Options options) {
  std::vector<const ModuleSpec*> modules = ModulesOf(AllInOneProcess());
  if (!options.search) std::erase(modules, FindModule("search"));
  return modules;
}

}  // namespace

AllInOne::AllInOne(const AppConfig& config, Options options)
    : core_(WithDataDir(config)),
      port_(ListenPort(config, AllInOneProcess().http_port)),
      modules_(WithBus(core_), ModulesWith(options), views::ServiceClients{}, port_, "reel") {}

}  // namespace reel::app
