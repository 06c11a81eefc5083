#pragma once

#include "app/module.hpp"

namespace reel::moderation {

/// The moderation service, as a module (issue 16): its store (reports, the marks of what
/// reports hid, the action log), ModerationService (asking the user, video and comment
/// services to hide, show, review and grant through their clients), ModerationRpc, the
/// /api/report and /api/admin routes and ModerationGrpcService. Tables: "moderation".
extern const app::ModuleSpec kModerationModule;

}  // namespace reel::moderation
