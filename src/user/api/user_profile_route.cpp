// PATCH /api/user: a profile change, with or without pictures.
#include "user/api/user_profile_route.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "kit/http/params.hpp"
#include "user/domain/user.hpp"
#include "user/media/profile_images.hpp"
#include "views/user_json.hpp"

namespace reel::user {
namespace {

// Room for the multipart envelope around two pictures (part headers, boundaries, the text
// fields), so pictures of exactly the limit get through to the handler.
constexpr std::uint64_t kMultipartSlack = 64 << 10;

constexpr ProfileImageKind kKinds[] = {ProfileImageKind::kAvatar, ProfileImageKind::kBackground};

// The pictures of the request, each under a field of its own.
Result<std::vector<PictureUpload>> UploadsOf(const http::Request& req) {
  std::vector<PictureUpload> uploads;
  for (const http::UploadedFile& file : req.files) {
    std::optional<ProfileImageKind> kind;
    for (ProfileImageKind k : kKinds) {
      if (file.field == FieldOf(k)) kind = k;
    }
    if (!kind) {
      return InvalidArgument("PARAM_INVALID", "unexpected file field '" + file.field +
                                                  "' (pictures go in avatar or background_image)");
    }
    for (const PictureUpload& seen : uploads) {
      if (seen.kind == *kind) {
        return InvalidArgument("PARAM_INVALID", "file field '" + file.field + "' is given twice");
      }
    }
    uploads.push_back({*kind, file.path});
  }
  return uploads;
}

// The text part of the change (whether there is anything to change is the domain's call).
Result<ProfileUpdate> TextChanges(const http::Params& params) {
  for (ProfileImageKind kind : kKinds) {
    if (params.Get(FieldOf(kind))) {
      return InvalidArgument("PARAM_INVALID", std::string(FieldOf(kind)) +
                                                  " must be uploaded as a file "
                                                  "(multipart/form-data), not as text");
    }
  }
  ProfileUpdate update;
  if (auto name = params.Get("name")) update.name = std::string(*name);
  if (auto signature = params.Get("signature")) update.signature = std::string(*signature);
  return update;
}

Result<http::Response> PatchProfile(http::Request& req, UserRpc& rpc, views::UserViews& views,
                                    const auth::RequestAuthenticator& auth) {
  auto caller = auth.Require(req, nullptr);
  if (!caller.ok()) return caller.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto uploads = UploadsOf(req);
  if (!uploads.ok()) return uploads.status();
  auto text = TextChanges(*params);
  if (!text.ok()) return text.status();
  if (auto changed = rpc.ChangeProfile(*caller, *text, *uploads); !changed.ok()) {
    return changed.status();
  }

  auto user = views.GetOne(*caller, *caller);
  if (!user.ok()) return user.status();
  json::JsonWriter w;
  w.BeginObject().Key("user");
  views::WriteOwnUserJson(w, *user);  // the caller's own: role and hidden too
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddUserProfileRoute(http::Router& router, UserRpc& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth) {
  router.Add({.method = "PATCH",
              .pattern = "/api/user",
              .handler = [&rpc, &views, &auth](
                             http::Request& req) { return PatchProfile(req, rpc, views, auth); },
              // Pictures stream to disk; a body that cannot be two allowed pictures is cut
              // off as soon as it passes this.
              .upload = true,
              .max_body_bytes = 2 * kMaxProfileImageBytes + kMultipartSlack,
              .blocking = true});  // pictures are checked and resized
}

}  // namespace reel::user
