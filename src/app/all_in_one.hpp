#pragma once

#include <string_view>
#include <vector>

#include "app/app_config.hpp"
#include "app/composition.hpp"
#include "app/wiring.hpp"
#include "kit/http/router.hpp"

namespace reel::app {

/// `reel all`: every module (AllInOneProcess) in one process, on one SQLite database
/// (<data_dir>/reel.db), calling each other in-process. Owns everything its routes refer
/// to, so it must outlive the router.
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
  http::Router Routes() { return modules_.Routes(); }
  Core& core() { return core_; }
  int port() const { return port_; }
  const views::ServiceClients& clients() const { return modules_.clients(); }

 private:
  Core core_;
  int port_;
  Composition modules_;
};

}  // namespace reel::app
