#pragma once

#include "app/module.hpp"

namespace reel::comment {

/// The comment service, as a module: its store behind a cache, CommentService (asking the
/// video service which videos exist and whose they are), CommentRpc (the `comments`
/// client), the Douyin and /api comment routes and CommentGrpcService. Subscribes to
/// VIDEO_DELETED: a deleted video's comments go with it. Tables: "comment".
extern const app::ModuleSpec kCommentModule;

}  // namespace reel::comment
