#include "video/api/media_routes.hpp"

#include "kit/http/file_response.hpp"

namespace reel::video {

void AddMediaRoutes(http::Router& router, blob::BlobStore& blobs) {
  router.Add({.method = "GET",
              .pattern = "/media/{key}",
              .handler = [&blobs](http::Request& req) -> Result<http::Response> {
                const std::string_view key = req.PathParam("key");
                if (!blob::IsValidKey(key)) return NotFound("MEDIA_NOT_FOUND", "no such media");
                auto path = blobs.LocalPath(key);
                if (!path.ok()) {
                  // A remote store that cannot be reached is a 503 the client may retry, not
                  // a claim that the media is gone.
                  if (path.status().code == Code::kUnavailable) return path.status();
                  return NotFound("MEDIA_NOT_FOUND", "no such media");
                }
                const std::string_view ext = key.substr(key.rfind('.') + 1);
                // Keys name immutable content, so clients and caches may keep it for good.
                return http::FileResponse(req, *path, http::ContentTypeForExtension(ext),
                                          "public, max-age=31536000, immutable", key);
              },
              .group = "none"});
}

}  // namespace reel::video
