#pragma once

#include "app/module.hpp"

namespace reel::user {

/// The user service, as a module: its store (users, sessions) behind a cache, UserService,
/// profile pictures into the media store, UserRpc (the `users` client), the Douyin and
/// /api user routes (with the default pictures) and UserGrpcService. Tables: "user".
extern const app::ModuleSpec kUserModule;

}  // namespace reel::user
