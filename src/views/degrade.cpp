#include "views/degrade.hpp"

#include <string>

#include "kit/log/log.hpp"

namespace reel::views {

bool DegradeWhenDown(const Status& status, std::string_view what) {
  if (status.code != Code::kUnavailable) return false;
  log::Warn("answering without a dependency",
            {{"missing", std::string(what)}, {"reason", status.reason}, {"error", status.message}});
  return true;
}

}  // namespace reel::views
