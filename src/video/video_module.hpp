#pragma once

#include "app/module.hpp"

namespace reel::video {

/// The video service, as a module: its store behind a cache, VideoService over the media
/// store, VideoRpc (the `videos` client), the Douyin and /api video routes (uploads, edits,
/// listings), VideoGrpcService, and the sweeper that expires unpublished uploads.
/// Tables: "video". GET /media/{key} is kMediaModule's.
extern const app::ModuleSpec kVideoModule;

/// GET /media/{key} over the media store: videos, covers and profile pictures. Its own
/// module because two processes of a cluster serve it (video, and user for its pictures
/// when run alone) and `reel all` once.
extern const app::ModuleSpec kMediaModule;

}  // namespace reel::video
