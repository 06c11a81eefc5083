#include "user/domain/profile_editor.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace reel::user {

Result<User> ProfileEditor::Change(std::int64_t user_id, const ProfileUpdate& text,
                                   std::span<const PictureUpload> pictures) {
  if (text.empty() && pictures.empty()) {
    return InvalidArgument("PARAM_MISSING",
                           "give at least one of name, signature, avatar, background_image");
  }
  if (text.avatar_key || text.background_key) {
    return InvalidArgument("PARAM_INVALID", "pictures are uploaded, not named by key");
  }
  bool seen[2] = {false, false};
  for (const PictureUpload& picture : pictures) {
    bool& kind_seen = seen[picture.kind == ProfileImageKind::kAvatar ? 0 : 1];
    if (kind_seen) return InvalidArgument("PARAM_INVALID", "one picture of each kind at most");
    kind_seen = true;
  }
  // The cheap refusals (rules, a taken name) before any picture is decoded or stored.
  if (!text.empty()) {
    if (Status s = users_.CheckProfileUpdate(user_id, text); !s.ok()) return s;
  }

  std::vector<std::pair<ProfileImageKind, std::unique_ptr<PreparedPicture>>> prepared;
  for (const PictureUpload& picture : pictures) {
    auto image = pictures_.Prepare(picture.kind, picture.path);
    if (!image.ok()) return image.status();
    prepared.emplace_back(picture.kind, std::move(*image));
  }

  // Every part is valid: keep the pictures, then change the row.
  ProfileUpdate update = text;
  for (auto& [kind, image] : prepared) {
    if (Status s = pictures_.Keep(*image); !s.ok()) return s;
    (kind == ProfileImageKind::kAvatar ? update.avatar_key : update.background_key) = image->key();
  }
  return users_.UpdateProfile(user_id, update);
}

}  // namespace reel::user
