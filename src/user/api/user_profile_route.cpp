// PATCH /api/user: a profile change, with or without pictures.
#include "user/api/user_profile_route.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "kit/http/params.hpp"
#include "user/domain/user.hpp"
#include "views/user_json.hpp"

namespace reel::user {
namespace {

// Room for the multipart envelope around two pictures (part headers, boundaries, the text
// fields), so pictures of exactly the limit get through to the handler.
constexpr std::uint64_t kMultipartSlack = 64 << 10;

constexpr ProfileImageKind kKinds[] = {ProfileImageKind::kAvatar, ProfileImageKind::kBackground};

using Upload = std::pair<ProfileImageKind, const http::UploadedFile*>;

// The pictures of the request, each under a field of its own.
Result<std::vector<Upload>> UploadsOf(const http::Request& req) {
  std::vector<Upload> uploads;
  for (const http::UploadedFile& file : req.files) {
    std::optional<ProfileImageKind> kind;
    for (ProfileImageKind k : kKinds) {
      if (file.field == FieldOf(k)) kind = k;
    }
    if (!kind) {
      return InvalidArgument("PARAM_INVALID", "unexpected file field '" + file.field +
                                                  "' (pictures go in avatar or background_image)");
    }
    for (const auto& [seen, ignored] : uploads) {
      if (seen == *kind) {
        return InvalidArgument("PARAM_INVALID", "file field '" + file.field + "' is given twice");
      }
    }
    uploads.emplace_back(*kind, &file);
  }
  return uploads;
}

// The text part of the change.
Result<ProfileUpdate> TextChanges(const http::Params& params, bool has_pictures) {
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
  if (update.empty() && !has_pictures) {
    return InvalidArgument("PARAM_MISSING",
                           "give at least one of name, signature, avatar, background_image");
  }
  return update;
}

v1::UpdateProfileRequest RequestOf(std::int64_t user_id, const ProfileUpdate& text) {
  v1::UpdateProfileRequest request;
  request.set_user_id(user_id);
  if (text.name) request.set_name(*text.name);
  if (text.signature) request.set_signature(*text.signature);
  return request;
}

Result<http::Response> PatchProfile(http::Request& req, UserClient& rpc, views::UserViews& views,
                                    const auth::RequestAuthenticator& auth, ProfileImages& images) {
  auto caller = auth.Require(req, nullptr);
  if (!caller.ok()) return caller.status();
  auto params = http::Params::From(req);
  if (!params.ok()) return params.status();
  auto uploads = UploadsOf(req);
  if (!uploads.ok()) return uploads.status();
  auto text = TextChanges(*params, !uploads->empty());
  if (!text.ok()) return text.status();
  v1::UpdateProfileRequest request = RequestOf(*caller, *text);
  // The cheap refusals (rules, a taken name) before any picture is decoded or stored.
  if (!text->empty()) {
    request.set_validate_only(true);
    if (auto checked = rpc.UpdateProfile(request); !checked.ok()) return checked.status();
    request.set_validate_only(false);
  }

  std::vector<std::pair<ProfileImageKind, PreparedImage>> prepared;
  for (const auto& [kind, file] : *uploads) {
    auto image = images.Prepare(kind, file->path);
    if (!image.ok()) return image.status();
    prepared.emplace_back(kind, std::move(*image));
  }

  // Every part is valid: store the pictures, then change the row. A refusal from here on
  // (a name taken meanwhile) leaves stored pictures that nothing points at, which is
  // harmless: keys are content addresses, shared by whoever uploads the same bytes.
  for (auto& [kind, image] : prepared) {
    if (Status s = images.Store(image); !s.ok()) return s;
    if (kind == ProfileImageKind::kAvatar) {
      request.set_avatar_key(image.key());
    } else {
      request.set_background_key(image.key());
    }
  }
  auto reply = rpc.UpdateProfile(request);
  if (!reply.ok()) return reply.status();

  auto user = views.GetOne(*caller, *caller);
  if (!user.ok()) return user.status();
  json::JsonWriter w;
  w.BeginObject().Key("user");
  views::WriteUserJson(w, *user);
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace

void AddUserProfileRoute(http::Router& router, UserClient& rpc, views::UserViews& views,
                         const auth::RequestAuthenticator& auth, ProfileImages& images) {
  router.Add(
      {.method = "PATCH",
       .pattern = "/api/user",
       .handler = [&rpc, &views, &auth, &images](
                      http::Request& req) { return PatchProfile(req, rpc, views, auth, images); },
       // Pictures stream to disk; a body that cannot be two allowed pictures is cut
       // off as soon as it passes this.
       .upload = true,
       .max_body_bytes = 2 * kMaxProfileImageBytes + kMultipartSlack,
       .blocking = true});  // pictures are checked and resized
}

}  // namespace reel::user
