#pragma once
// Which modules there are and which process hosts which: the one place that says it
// (docs/architecture.md, "Service modules").

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "app/module.hpp"

namespace reel::app {

/// Every module, in the order a process builds those it hosts: a module may call, while it
/// is built, the clients of the modules before it (feed and search read the services).
std::span<const ModuleSpec* const> AllModules();
const ModuleSpec* FindModule(std::string_view name);

/// A process mode: its name, default ports and the modules it hosts.
struct ProcessSpec {
  std::string_view name;
  int http_port = 0;
  int grpc_port = 0;  ///< 0: serves no gRPC (`reel all`, for now)
  std::span<const std::string_view> modules;
};

/// `reel all`: every module, in one process on one database (reel.db).
const ProcessSpec& AllInOneProcess();
/// `reel serve <name>`: one service per process (its own <name>.db), gRPC clients for the
/// services it does not host. Together they host every module of `reel all` but the web
/// client, which the cluster's edge serves.
std::span<const ProcessSpec> ServiceProcesses();
std::optional<ProcessSpec> FindService(std::string_view name);

/// The specs of `process`'s modules, in AllModules order. Throws std::logic_error for a
/// name that is no module.
std::vector<const ModuleSpec*> ModulesOf(const ProcessSpec& process);
bool Hosts(const ProcessSpec& process, std::string_view module);

}  // namespace reel::app
