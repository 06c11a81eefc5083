#pragma once

#include "app/module.hpp"

namespace reel::feed {

/// The feed, as a module: nothing durable, only the frozen hot rankings it pages over;
/// FeedRpc over the video, relation, favorite and comment clients, the Douyin feed and
/// GET /api/feed, and FeedGrpcService. Built after the services it pages over.
extern const app::ModuleSpec kFeedModule;

}  // namespace reel::feed
