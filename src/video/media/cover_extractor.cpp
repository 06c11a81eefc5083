#include "video/media/cover_extractor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "kit/media/jpeg_writer.hpp"
#include "video/media/ffmpeg_handles.hpp"

namespace reel::video::media {
namespace {

constexpr std::int64_t kCoverAtMs = 1000;
// Shorter clips take their first frame: 1 s in would be near or past the end.
constexpr std::int64_t kShortClipMs = 1500;
// From the keyframe before 1 s to 1 s is rarely more than a few dozen packets; this bounds
// files whose keyframes are far apart or whose timestamps never reach the target.
constexpr int kMaxPacketsForCover = 4096;
// A little parallelism for the run from the keyframe to 1 s, without oversubscribing a
// server that extracts several covers at once.
constexpr int kDecoderThreads = 2;

Status Invalid(std::string message) {
  return InvalidArgument("MEDIA_INVALID", std::move(message));
}

// Decodes into `out` the first intact frame at or after kCoverAtMs, or the first intact frame
// of a clip known to be short. When the input ends before the target, the last frame decoded
// is used.
Status DecodeCoverFrame(detail::OpenedVideo& video, AVFrame& out) {
  const AVStream& stream = *video.stream;
  const std::int64_t duration_ms = detail::DurationMs(*video.format, stream);
  std::int64_t target = AV_NOPTS_VALUE;
  if (duration_ms == 0 || duration_ms >= kShortClipMs) {
    const std::int64_t start = stream.start_time == AV_NOPTS_VALUE ? 0 : stream.start_time;
    target = start + av_rescale_q(kCoverAtMs, AVRational{1, 1000}, stream.time_base);
  }
  // Lands on the keyframe at or before the target. Without a known duration (WebM from
  // MediaRecorder) there is usually no index to seek with, so we decode from the start; that,
  // or a failed seek, costs time but still reaches the target (or the last frame before it).
  if (duration_ms > 0 && target != AV_NOPTS_VALUE &&
      av_seek_frame(video.format.get(), stream.index, target, AVSEEK_FLAG_BACKWARD) >= 0) {
    avcodec_flush_buffers(video.decoder.get());
  }
  bool have_frame = false;
  auto reached = detail::DecodeFrames(video, kMaxPacketsForCover, [&](AVFrame& frame) {
    av_frame_unref(&out);
    av_frame_move_ref(&out, &frame);
    have_frame = true;
    if (target == AV_NOPTS_VALUE) return true;
    const std::int64_t pts = out.best_effort_timestamp;
    return pts == AV_NOPTS_VALUE || pts >= target;
  });
  if (!reached.ok()) return reached.status();
  if (!have_frame) return Invalid("the video is truncated or corrupt (no frame could be decoded)");
  return Status::Ok();
}

int EvenFloor(double value) {
  // The epsilon keeps an exact 405.0 computed as 404.99999 from losing two pixels.
  return std::max(2, static_cast<int>(std::floor(value / 2 + 1e-6)) * 2);
}

// Upright display size of the cover: pixel aspect applied, rotated, at most kMaxCoverWidth
// wide, never larger than the source, even on both sides (4:2:0 chroma halves them).
CoverInfo CoverSize(const AVFrame& frame, int rotation) {
  double width = frame.width;
  double height = frame.height;
  const AVRational sar = frame.sample_aspect_ratio;
  if (sar.num > 0 && sar.den > 0) width = width * sar.num / sar.den;
  if (rotation == 90 || rotation == 270) std::swap(width, height);
  const int cover_width = EvenFloor(std::min<double>(width, kMaxCoverWidth));
  return CoverInfo{cover_width, EvenFloor(height * cover_width / width)};
}

detail::FramePtr NewPicture(int width, int height) {
  detail::FramePtr picture(av_frame_alloc());
  if (!picture) return nullptr;
  picture->format = AV_PIX_FMT_YUVJ420P;
  picture->width = width;
  picture->height = height;
  picture->color_range = AVCOL_RANGE_JPEG;
  if (av_frame_get_buffer(picture.get(), 0) < 0) return nullptr;
  return picture;
}

// Copies a `width` x `height` plane into `dst`, turned clockwise by `rotation` degrees.
void RotatePlane(const std::uint8_t* src, int src_stride, int width, int height, std::uint8_t* dst,
                 int dst_stride, int rotation) {
  const int dst_width = rotation == 180 ? width : height;
  const int dst_height = rotation == 180 ? height : width;
  for (int y = 0; y < dst_height; ++y) {
    for (int x = 0; x < dst_width; ++x) {
      int sx = x;
      int sy = y;
      if (rotation == 90) {
        sx = y;
        sy = height - 1 - x;
      } else if (rotation == 180) {
        sx = width - 1 - x;
        sy = height - 1 - y;
      } else {  // 270
        sx = width - 1 - y;
        sy = x;
      }
      dst[std::int64_t{y} * dst_stride + x] = src[std::int64_t{sy} * src_stride + sx];
    }
  }
}

// Scales `frame` to the cover size in full-range BT.601 YUV 4:2:0 (what JPEG viewers assume)
// and turns it upright.
Result<detail::FramePtr> ScaleUpright(const AVFrame& frame, int rotation) {
  const CoverInfo size = CoverSize(frame, rotation);
  const bool turned = rotation == 90 || rotation == 270;
  const int scaled_width = turned ? size.height : size.width;
  const int scaled_height = turned ? size.width : size.height;
  detail::FramePtr scaled = NewPicture(scaled_width, scaled_height);
  if (!scaled) return Internal("cannot allocate the cover picture");

  detail::SwsPtr sws(sws_getContext(
      frame.width, frame.height, static_cast<AVPixelFormat>(frame.format), scaled_width,
      scaled_height, AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!sws) return Internal("cannot convert the video's pixel format for the cover");
  // HD video is usually BT.709 limited range; without this the cover's colours would shift.
  const int source_full_range = frame.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
  sws_setColorspaceDetails(sws.get(), sws_getCoefficients(frame.colorspace), source_full_range,
                           sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16);
  // The frame comes from the decoder, so a refusal is the input's doing; the cover would
  // otherwise be whatever the new buffer held.
  if (sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, scaled->data,
                scaled->linesize) <= 0) {
    return Invalid("the video's picture cannot be converted for the cover");
  }
  if (rotation == 0) return scaled;

  detail::FramePtr upright = NewPicture(size.width, size.height);
  if (!upright) return Internal("cannot allocate the cover picture");
  for (int plane = 0; plane < 3; ++plane) {
    const int shift = plane == 0 ? 0 : 1;
    RotatePlane(scaled->data[plane], scaled->linesize[plane], scaled_width >> shift,
                scaled_height >> shift, upright->data[plane], upright->linesize[plane], rotation);
  }
  return upright;
}

}  // namespace

Result<CoverInfo> ExtractCover(const std::string& video_path, const std::string& jpeg_path) {
  auto opened = detail::OpenVideo(video_path, kDecoderThreads);
  if (!opened.ok()) return opened.status();
  detail::FramePtr frame(av_frame_alloc());
  if (!frame) return Internal("cannot allocate a frame");
  if (Status s = DecodeCoverFrame(*opened, *frame); !s.ok()) return s;

  auto picture = ScaleUpright(*frame, opened->rotation);
  if (!picture.ok()) return picture.status();
  if (Status s = ::reel::media::detail::WriteJpeg(**picture, jpeg_path); !s.ok()) return s;
  return CoverInfo{(*picture)->width, (*picture)->height};
}

}  // namespace reel::video::media
