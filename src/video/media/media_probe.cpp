#include "video/media/media_probe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "video/media/ffmpeg_handles.hpp"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/log.h>
}

namespace reel::video::media {
namespace {

// Content sniffing reads at most this much; containers announce themselves in the first KiB.
constexpr unsigned kSniffBytes = 1 << 20;
// Bounds for avformat_find_stream_info, the step that reads ahead on hostile input.
constexpr const char* kStreamInfoBytes = "5000000";
constexpr const char* kStreamInfoMicros = "5000000";
constexpr const char* kMaxStreams = "32";
// 8K UHD: the decoder refuses larger pictures instead of allocating for them.
constexpr std::int64_t kMaxPixels = std::int64_t{7680} * 4320;
// Enough to get past a damaged start to the next keyframe; bounds work on garbage.
constexpr int kMaxPacketsForFirstFrame = 1024;

constexpr std::string_view kNoVideoStream = "the file has no video stream";
constexpr std::string_view kCorrupt = "the video is truncated or corrupt";

// Demuxers (AVInputFormat names) of the containers an upload may use.
constexpr std::string_view kVideoContainers[] = {
    "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "flv", "mpegts", "mpeg", "asf", "ogg"};
// Recognised but refused: still images, and audio-only formats. Everything else (playlists,
// raw elementary streams, subtitles, ...) is refused as unsupported; playlists in particular
// would make FFmpeg open other files.
constexpr std::string_view kImageFormats[] = {"image2", "gif", "apng", "ico"};
constexpr std::string_view kAudioFormats[] = {"mp3",  "wav", "aac", "flac", "amr", "ac3", "eac3",
                                              "aiff", "caf", "wv",  "ape",  "w64", "tta", "dts"};
// Codecs that hold pictures rather than motion when a stream has no duration.
constexpr AVCodecID kImageCodecs[] = {AV_CODEC_ID_PNG,  AV_CODEC_ID_MJPEG,    AV_CODEC_ID_BMP,
                                      AV_CODEC_ID_GIF,  AV_CODEC_ID_WEBP,     AV_CODEC_ID_TIFF,
                                      AV_CODEC_ID_APNG, AV_CODEC_ID_JPEG2000, AV_CODEC_ID_JPEGLS};

Status Invalid(std::string_view message) {
  return InvalidArgument("MEDIA_INVALID", std::string(message));
}

std::string AvError(int err) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, text, sizeof(text));
  return text;
}

template <typename T, std::size_t N>
bool Contains(const T (&list)[N], const T& value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// Why a sniffed format is refused, or an empty view when it is a video container we accept.
std::string_view RefusalFor(std::string_view format) {
  if (Contains(kVideoContainers, format)) return {};
  if (Contains(kImageFormats, format) || format.ends_with("_pipe")) {
    return "the file has no video stream (it is a still image)";
  }
  if (Contains(kAudioFormats, format)) return "the file has no video stream (it is audio only)";
  return "not a video file (unsupported format)";
}

// The main picture stream: the largest video stream that is not cover art.
AVStream* PickVideoStream(const AVFormatContext& format) {
  AVStream* best = nullptr;
  for (unsigned i = 0; i < format.nb_streams; ++i) {
    AVStream* st = format.streams[i];
    if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if ((st->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) continue;
    const auto area = [](const AVStream* s) {
      return std::int64_t{s->codecpar->width} * s->codecpar->height;
    };
    if (best == nullptr || area(st) > area(best)) best = st;
  }
  return best;
}

// A single picture dressed as a stream (one PNG or MJPEG frame in a container): nothing plays.
// An unknown frame count and duration alone do not make a still: browsers' MediaRecorder
// writes WebM without a duration.
bool IsStillImage(const AVFormatContext& format, const AVStream& stream) {
  if (stream.nb_frames == 1) return true;
  return detail::DurationMs(format, stream) == 0 &&
         Contains(kImageCodecs, stream.codecpar->codec_id);
}

int ClockwiseRotation(const AVStream& stream) {
  const std::uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix == nullptr) return 0;
  // The matrix stores the counter-clockwise angle; players turn clockwise by its negation.
  const double ccw = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
  if (std::isnan(ccw)) return 0;
  const long quarter_turns = std::lround(-ccw / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

}  // namespace

namespace detail {

Result<InputPtr> OpenInput(const std::string& path) {
  QuietFfmpegLogs();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Internal("cannot read " + path + ": " + ec.message());
  if (size == 0) return Invalid("the file is empty");

  // The "file:" prefix and whitelist keep FFmpeg on this one local file: no other protocol,
  // whatever the path looks like.
  const std::string url = "file:" + path;
  const AVInputFormat* sniffed = nullptr;
  {
    AVIOContext* raw_io = nullptr;
    Options io_options;
    io_options.Set("protocol_whitelist", "file");
    const int err = avio_open2(&raw_io, url.c_str(), AVIO_FLAG_READ, nullptr, io_options.address());
    if (err < 0) return Internal("cannot open " + path + ": " + AvError(err));
    AvioPtr io(raw_io);
    // Judged by content alone: the name is the uploader's choice.
    if (av_probe_input_buffer2(io.get(), &sniffed, nullptr, nullptr, 0, kSniffBytes) < 0 ||
        sniffed == nullptr) {
      return Invalid("not a video file (unrecognised format)");
    }
  }
  if (const auto refusal = RefusalFor(sniffed->name); !refusal.empty()) return Invalid(refusal);

  Options options;
  options.Set("protocol_whitelist", "file")
      .Set("probesize", kStreamInfoBytes)
      .Set("analyzeduration", kStreamInfoMicros)
      .Set("max_streams", kMaxStreams);
  AVFormatContext* raw = nullptr;
  // Forcing the sniffed demuxer means no second, different guess is made on open.
  if (avformat_open_input(&raw, url.c_str(), sniffed, options.address()) < 0) {
    return Invalid(std::string(kCorrupt) + " (its index cannot be read)");
  }
  InputPtr input(raw);
  if (avformat_find_stream_info(input.get(), nullptr) < 0) return Invalid(kCorrupt);
  return input;
}

Result<OpenedVideo> OpenVideo(const std::string& path, int threads) {
  auto input = OpenInput(path);
  if (!input.ok()) return input.status();
  OpenedVideo video;
  video.format = std::move(*input);
  video.stream = PickVideoStream(*video.format);
  if (video.stream == nullptr) return Invalid(kNoVideoStream);
  if (IsStillImage(*video.format, *video.stream)) {
    return Invalid("the file has no video stream (it is a still image)");
  }
  const AVCodecParameters& params = *video.stream->codecpar;
  if (params.width <= 0 || params.height <= 0) return Invalid(kCorrupt);
  if (std::int64_t{params.width} * params.height > kMaxPixels) {
    return Invalid("the video resolution is too large");
  }
  const AVCodec* codec = avcodec_find_decoder(params.codec_id);
  if (codec == nullptr) {
    return Invalid(std::string("the video codec (") + avcodec_get_name(params.codec_id) +
                   ") is not supported");
  }
  video.decoder.reset(avcodec_alloc_context3(codec));
  if (!video.decoder) return Internal("cannot allocate a decoder");
  if (const int err = avcodec_parameters_to_context(video.decoder.get(), &params); err < 0) {
    return Internal("cannot configure the decoder: " + AvError(err));
  }
  video.decoder->pkt_timebase = video.stream->time_base;
  video.decoder->thread_count = threads;
  video.decoder->max_pixels = kMaxPixels;
  if (avcodec_open2(video.decoder.get(), codec, nullptr) < 0) return Invalid(kCorrupt);
  video.rotation = ClockwiseRotation(*video.stream);
  return video;
}

std::int64_t DurationMs(const AVFormatContext& format, const AVStream& stream) {
  if (format.duration != AV_NOPTS_VALUE && format.duration > 0) {
    return av_rescale(format.duration, 1000, AV_TIME_BASE);
  }
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0) {
    return av_rescale_q(stream.duration, stream.time_base, AVRational{1, 1000});
  }
  return 0;
}

Result<bool> DecodeFrames(OpenedVideo& video, int max_packets, const FrameSink& sink) {
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  if (!packet || !frame) return Internal("cannot allocate an FFmpeg packet or frame");
  AVCodecContext* decoder = video.decoder.get();
  // Takes every frame the decoder has ready. Each send is followed by a full drain, so a send
  // never meets a decoder that still holds output (no EAGAIN on send).
  const auto drain = [&]() {
    while (avcodec_receive_frame(decoder, frame.get()) == 0) {
      const bool done = IsCleanFrame(*frame) && sink(*frame);
      av_frame_unref(frame.get());
      if (done) return true;
    }
    return false;
  };
  for (int read = 0; read < max_packets; ++read) {
    if (av_read_frame(video.format.get(), packet.get()) < 0) break;  // end, or unreadable
    if (packet->stream_index == video.stream->index) {
      avcodec_send_packet(decoder, packet.get());  // a refused packet is skipped, not fatal
    }
    av_packet_unref(packet.get());
    if (drain()) return true;
  }
  avcodec_send_packet(decoder, nullptr);  // releases frames held for reordering or threads
  return drain();
}

}  // namespace detail

Result<MediaInfo> ProbeVideo(const std::string& path) {
  // One thread: a single frame is wanted, and frame threads would only delay it.
  auto opened = detail::OpenVideo(path, 1);
  if (!opened.ok()) return opened.status();
  detail::OpenedVideo& video = *opened;

  auto decoded =
      detail::DecodeFrames(video, kMaxPacketsForFirstFrame, [](AVFrame&) { return true; });
  if (!decoded.ok()) return decoded.status();
  if (!*decoded) return Invalid(std::string(kCorrupt) + " (no frame could be decoded)");

  const AVFormatContext& format = *video.format;
  const AVStream& stream = *video.stream;
  MediaInfo info;
  info.container = format.iformat->name;
  info.video_codec = avcodec_get_name(stream.codecpar->codec_id);
  info.width = stream.codecpar->width;
  info.height = stream.codecpar->height;
  info.rotation = video.rotation;
  info.duration_ms = detail::DurationMs(format, stream);
  for (unsigned i = 0; i < format.nb_streams; ++i) {
    if (format.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) info.has_audio = true;
  }
  info.is_mp4 = info.container == kVideoContainers[0];
  return info;
}

}  // namespace reel::video::media
