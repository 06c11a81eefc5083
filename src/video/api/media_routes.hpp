#pragma once

#include "kit/blob/blob_store.hpp"
#include "kit/http/router.hpp"

namespace reel::video {

/// GET and HEAD /media/{key}: stored media (videos, covers) with Range, ETag, If-None-Match
/// and long caching. A local store's file is served as it is; a remote store's object
/// (blob::RemoteBlobStore, S3) is streamed from a ranged read of just the bytes asked for.
/// Only keys that pass blob::IsValidKey are looked up, so no path outside the store is
/// reachable. A store that cannot be reached (BLOB_STORE_UNAVAILABLE) answers 503.
void AddMediaRoutes(http::Router& router, blob::BlobStore& blobs);

}  // namespace reel::video
