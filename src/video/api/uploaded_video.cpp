#include "video/api/uploaded_video.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace reel::video {
namespace {

constexpr std::array<std::string_view, 3> kVideoFields = {"data", "file", "video"};

}  // namespace

const http::UploadedFile* UploadedVideo(const http::Request& req) {
  for (const auto& file : req.files) {
    if (std::find(kVideoFields.begin(), kVideoFields.end(), file.field) != kVideoFields.end()) {
      return &file;
    }
  }
  return nullptr;
}

Status VideoFileMissing() {
  return InvalidArgument("PARAM_MISSING",
                         "missing the video file: send it as a multipart/form-data file field "
                         "named 'data', 'file' or 'video'");
}

}  // namespace reel::video
