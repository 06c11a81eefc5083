#pragma once

#include "app/module.hpp"

namespace reel::relation {

/// The relation service, as a module: its store (follows, messages, blocks) behind a cache,
/// RelationService (asking the user service which users exist), RelationRpc (the
/// `relations` client), the Douyin and /api social, message and block routes and
/// RelationGrpcService. Tables: "relation".
extern const app::ModuleSpec kRelationModule;

}  // namespace reel::relation
