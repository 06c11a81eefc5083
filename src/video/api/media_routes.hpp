#pragma once

#include "kit/blob/blob_store.hpp"
#include "kit/http/router.hpp"

namespace reel::video {

/// GET /media/{key}: stored media (videos, covers) with Range, ETag and long caching.
/// Only keys that pass blob::IsValidKey are looked up, so no path outside the store is
/// reachable. A store that cannot be reached (BLOB_STORE_UNAVAILABLE) answers 503.
void AddMediaRoutes(http::Router& router, blob::BlobStore& blobs);

}  // namespace reel::video
