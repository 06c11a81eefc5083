#pragma once

#include "kit/blob/blob_store.hpp"
#include "kit/http/router.hpp"

namespace reel::video {

/// GET /media/{key}: stored media (videos, covers) with Range, ETag and long caching.
/// Only keys that pass blob::IsValidKey are looked up, so no path outside the store is
/// reachable.
void AddMediaRoutes(http::Router& router, blob::BlobStore& blobs);

}  // namespace reel::video
