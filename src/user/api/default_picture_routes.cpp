// GET /api/user/{id}/avatar.png and /api/user/{id}/background.png: the generated pictures of
// users who have none of their own (user/media/default_pictures.hpp). Views point at them,
// so every user object carries picture URLs.
#include <memory>

#include "kit/http/params.hpp"
#include "user/api/user_routes.hpp"
#include "user/media/default_pictures.hpp"

namespace reel::user {
namespace {

// Bumped whenever the drawing changes, so caches revalidate to the new look.
constexpr std::string_view kDesign = "d1";

Result<http::Response> Serve(http::Request& req, DefaultPictures& pictures, DefaultPicture kind) {
  auto id = http::PathId(req, "id", "user id");
  if (!id.ok()) return id.status();
  const std::string etag = "\"" + std::string(kDesign) +
                           (kind == DefaultPicture::kAvatar ? "-a-" : "-b-") + std::to_string(*id) +
                           "\"";
  http::Response response;
  // The same id always draws the same picture (users without one, or ids without a user:
  // drawing it tells nothing), so a day of caching is safe; the ETag covers a new design.
  response.SetHeader("cache-control", "public, max-age=86400");
  response.SetHeader("etag", etag);
  if (req.Header("if-none-match") == etag) {
    response.status = 304;
    return response;
  }
  auto png = pictures.Png(kind, *id);
  if (!png.ok()) return png.status();
  response.SetHeader("content-type", "image/png");
  response.SetHeader("x-content-type-options", "nosniff");
  response.body = **png;
  return response;
}

}  // namespace

void AddDefaultPictureRoutes(http::Router& router) {
  auto pictures = std::make_shared<DefaultPictures>();
  router.Add({.method = "GET",
              .pattern = "/api/user/{id}/avatar.png",
              .handler = [pictures](http::Request& req) {
                return Serve(req, *pictures, DefaultPicture::kAvatar);
              }});
  router.Add({.method = "GET",
              .pattern = "/api/user/{id}/background.png",
              .handler = [pictures](http::Request& req) {
                return Serve(req, *pictures, DefaultPicture::kBackground);
              }});
}

}  // namespace reel::user
