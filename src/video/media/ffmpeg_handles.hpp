#pragma once

// Internal to the media module: owners for FFmpeg's C objects and the one hardened way the
// module opens an input and decodes (defined in media_probe.cpp). Not part of the public API:
// it includes FFmpeg headers, which the library links PRIVATE.

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "kit/status/status.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace reel::video::media::detail {

struct InputDeleter {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;

/// Closes the output file (when the muxer opened one) before freeing the muxer.
struct OutputDeleter {
  void operator()(AVFormatContext* ctx) const {
    if (ctx->pb != nullptr && (ctx->oformat->flags & AVFMT_NOFILE) == 0) avio_closep(&ctx->pb);
    avformat_free_context(ctx);
  }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;

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

struct AvioDeleter {
  void operator()(AVIOContext* ctx) const { avio_closep(&ctx); }
};
using AvioPtr = std::unique_ptr<AVIOContext, AvioDeleter>;

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

/// Opens `path` with bounded probing after checking, from its content alone, that it is a
/// video container we accept (not an image, audio or playlist format), and reads stream info.
/// Refusals: InvalidArgument MEDIA_INVALID; Internal when the file cannot be read at all.
Result<InputPtr> OpenInput(const std::string& path);

/// A demuxer with its chosen video stream and an opened decoder for it.
struct OpenedVideo {
  InputPtr format;
  AVStream* stream = nullptr;  // owned by `format`
  CodecPtr decoder;
  int rotation = 0;  // clockwise degrees to display the picture upright: 0, 90, 180 or 270
};

/// OpenInput, then picks the main video stream (refusing audio-only files, attached
/// pictures and still images) and opens a decoder with `threads` threads (0 = automatic).
Result<OpenedVideo> OpenVideo(const std::string& path, int threads);

/// Milliseconds of media in the container, or 0 when unknown.
std::int64_t DurationMs(const AVFormatContext& format, const AVStream& stream);

/// Receives each intact decoded frame; returns true when it has what it wanted.
using FrameSink = std::function<bool(AVFrame& frame)>;

/// Reads packets from the current position and decodes those of `video.stream`, handing each
/// intact frame to `sink` until it returns true (then returns true), or until the input ends
/// or `max_packets` packets (of any stream) have been read (then flushes the decoder, offers
/// the remaining frames, and returns false). Undecodable packets are skipped: a later
/// keyframe may still decode.
Result<bool> DecodeFrames(OpenedVideo& video, int max_packets, const FrameSink& sink);

/// Whether `frame` came out of the decoder intact (no concealed errors).
inline bool IsCleanFrame(const AVFrame& frame) {
  return frame.decode_error_flags == 0 && (frame.flags & AV_FRAME_FLAG_CORRUPT) == 0;
}

}  // namespace reel::video::media::detail
