#pragma once

// Internal to the media libraries (kit/media and the video service's media module): owners
// for FFmpeg's C objects. Not part of a public API: it includes FFmpeg headers, which the
// libraries link PRIVATE.

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "kit/status/status.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace reel::media::detail {

struct CodecDeleter {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;

struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct SwsDeleter {
  void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

/// An AVDictionary of options; FFmpeg takes its address and may replace it.
class Options {
 public:
  Options() = default;
  ~Options() { av_dict_free(&dict_); }
  Options(const Options&) = delete;
  Options& operator=(const Options&) = delete;

  Options& Set(const char* key, const char* value) {
    av_dict_set(&dict_, key, value, 0);
    return *this;
  }
  AVDictionary** address() { return &dict_; }

 private:
  AVDictionary* dict_ = nullptr;
};

/// A temporary path beside `target` (same directory, so the final rename is atomic), unique
/// per process and call; the file is removed on destruction unless Commit() moved it onto
/// `target`. Readers of `target` thus never see half a file.
class TempOutput {
 public:
  explicit TempOutput(std::string target)
      : target_(std::move(target)),
        path_(target_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter_)) {}
  ~TempOutput() {
    std::error_code ignored;
    if (!committed_) std::filesystem::remove(path_, ignored);
  }
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;

  const std::string& path() const { return path_; }
  Status Commit() {
    std::error_code ec;
    std::filesystem::rename(path_, target_, ec);
    if (ec) return Internal("cannot rename " + path_ + " to " + target_ + ": " + ec.message());
    committed_ = true;
    return Status::Ok();
  }

 private:
  static inline std::atomic<std::uint64_t> counter_{0};
  std::string target_;
  std::string path_;
  bool committed_ = false;
};

/// Silences FFmpeg's global logger, once per process (thread-safe): refusals reach callers as
/// Status values, and FFmpeg's own lines on stderr would only repeat them for hostile input.
void QuietFfmpegLogs();

/// Whether `frame` came out of the decoder intact (no concealed errors).
inline bool IsCleanFrame(const AVFrame& frame) {
  return frame.decode_error_flags == 0 && (frame.flags & AV_FRAME_FLAG_CORRUPT) == 0;
}

}  // namespace reel::media::detail
