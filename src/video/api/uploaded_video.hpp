#pragma once

#include "kit/http/message.hpp"
#include "kit/status/status.hpp"

namespace reel::video {

/// The video file of an upload request: the first file part whose form field is one of the
/// names clients use, `data` (the Douyin API's), `file` or `video`; nullptr when none is.
const http::UploadedFile* UploadedVideo(const http::Request& req);

/// PARAM_MISSING (INVALID_ARGUMENT) for a request without one, naming the accepted fields.
Status VideoFileMissing();

}  // namespace reel::video
