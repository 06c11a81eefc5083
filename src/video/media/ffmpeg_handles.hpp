#pragma once

// Internal to the media module: owners for FFmpeg's container objects and the one hardened
// way the module opens an input and decodes (defined in media_probe.cpp); the codec, frame
// and file helpers it shares with the image transcoder are kit/media's. Not part of the
// public API: it includes FFmpeg headers, which the library links PRIVATE.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kit/media/ffmpeg_handles.hpp"
#include "kit/status/status.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace reel::video::media::detail {

using ::reel::media::detail::CodecPtr;
using ::reel::media::detail::FramePtr;
using ::reel::media::detail::IsCleanFrame;
using ::reel::media::detail::Options;
using ::reel::media::detail::PacketPtr;
using ::reel::media::detail::QuietFfmpegLogs;
using ::reel::media::detail::SwsPtr;
using ::reel::media::detail::TempOutput;

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

struct AvioDeleter {
  void operator()(AVIOContext* ctx) const { avio_closep(&ctx); }
};
using AvioPtr = std::unique_ptr<AVIOContext, AvioDeleter>;

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

}  // namespace reel::video::media::detail
