#pragma once

#include <string>

#include "app/module.hpp"

namespace reel::search {

/// Search, as a module: a Xapian index in SearchIndexDirectory, kept in step with the
/// services by their events (videos, users, likes and comments), and the search routes. An
/// index that does not exist yet is built from the services while the module is built, so
/// it comes after them. In a cluster the video process hosts it.
extern const app::ModuleSpec kSearchModule;

/// <data_dir>/search.
std::string SearchIndexDirectory(const app::AppConfig& config);

}  // namespace reel::search
