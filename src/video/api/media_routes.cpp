#include "video/api/media_routes.hpp"

#include <memory>
#include <utility>

#include "kit/http/file_response.hpp"

namespace reel::video {
namespace {

// Keys name immutable content, so clients and caches may keep it for good.
constexpr std::string_view kCacheControl = "public, max-age=31536000, immutable";

// A store that cannot be reached is a 503 the client may retry, not a claim that the media
// is gone; anything else about a key that looked up nothing is a 404.
Status MediaLookupFailure(const Status& status) {
  if (status.code == Code::kUnavailable) return status;
  return NotFound("MEDIA_NOT_FOUND", "no such media");
}

std::string_view ContentTypeOf(std::string_view key) {
  return http::ContentTypeForExtension(key.substr(key.rfind('.') + 1));
}

class BlobBodySource final : public http::BodySource {
 public:
  explicit BlobBodySource(std::unique_ptr<blob::BlobReader> reader) : reader_(std::move(reader)) {}
  Result<std::size_t> Read(char* buffer, std::size_t capacity) override {
    return reader_->Read(buffer, capacity);
  }

 private:
  std::unique_ptr<blob::BlobReader> reader_;
};

Result<http::Response> ServeLocalFile(http::Request& req, blob::BlobStore& blobs,
                                      std::string_view key) {
  auto path = blobs.LocalPath(key);
  if (!path.ok()) return MediaLookupFailure(path.status());
  return http::FileResponse(req, *path, ContentTypeOf(key), kCacheControl, key);
}

// The same answers as for a local file, from a HEAD (size, Last-Modified) and, when bytes are
// due, a ranged GET of just those bytes relayed as they arrive: nothing is downloaded whole.
// Both happen before the response head is sent, so a store that is down is a clean 503.
Result<http::Response> ServeRemoteObject(http::Request& req, blob::RemoteBlobStore& blobs,
                                         std::string_view key) {
  auto info = blobs.Stat(key);
  if (!info.ok()) return MediaLookupFailure(info.status());
  http::ResourceAnswer answer =
      http::ResourceResponse(req, http::ResourceInfo{info->size, info->last_modified},
                             ContentTypeOf(key), kCacheControl, key);
  if (!answer.has_body || answer.length == 0) return std::move(answer.response);
  auto reader = blobs.OpenRange(key, answer.offset, answer.length);
  // Gone since the HEAD (deleted meanwhile) reads as never there.
  if (!reader.ok()) return MediaLookupFailure(reader.status());
  answer.response.stream =
      http::StreamedBody{std::make_shared<BlobBodySource>(std::move(*reader)), answer.length};
  return std::move(answer.response);
}

}  // namespace

void AddMediaRoutes(http::Router& router, blob::BlobStore& blobs) {
  auto* remote = dynamic_cast<blob::RemoteBlobStore*>(&blobs);
  router.Add({.method = "GET",
              .pattern = "/media/{key}",
              .handler = [&blobs, remote](http::Request& req) -> Result<http::Response> {
                const std::string_view key = req.PathParam("key");
                if (!blob::IsValidKey(key)) return NotFound("MEDIA_NOT_FOUND", "no such media");
                return remote != nullptr ? ServeRemoteObject(req, *remote, key)
                                         : ServeLocalFile(req, blobs, key);
              },
              .group = "none"});
}

}  // namespace reel::video
