#pragma once

#include "app/module.hpp"

namespace reel::favorite {

/// The favorite service, as a module: its store behind a cache, FavoriteService (asking the
/// video and user services which videos and users exist), FavoriteRpc (the `favorites`
/// client), the Douyin and /api favorite routes and FavoriteGrpcService. Subscribes to
/// VIDEO_DELETED: a deleted video's likes go with it. Tables: "favorite".
extern const app::ModuleSpec kFavoriteModule;

}  // namespace reel::favorite
