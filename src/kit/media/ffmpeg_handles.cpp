#include "kit/media/ffmpeg_handles.hpp"

#include <mutex>

extern "C" {
#include <libavutil/log.h>
}

namespace reel::media::detail {

void QuietFfmpegLogs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

}  // namespace reel::media::detail
