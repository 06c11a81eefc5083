#include "kit/media/image_transcoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "kit/media/ffmpeg_handles.hpp"
#include "kit/media/jpeg_writer.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace reel::media {
namespace {

// A very tall picture fitted by width alone would stay huge; its height is capped at this
// many times the width limit.
constexpr int kMaxHeightPerWidth = 4;

constexpr std::string_view kCorrupt =
    "the image cannot be decoded (it is corrupt, truncated, animated or has more than 40 "
    "million pixels)";
static_assert(kMaxImagePixels == 40'000'000, "kCorrupt states the pixel limit");

Status Invalid(std::string message) {
  return InvalidArgument("IMAGE_INVALID", std::move(message));
}

struct SniffedFormat {
  const char* name;
  AVCodecID codec;
};

// By the signature each format starts with: the name and the declared type are the
// uploader's choice, the bytes are not.
std::optional<SniffedFormat> Sniff(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xD8\xFF")) return SniffedFormat{"jpeg", AV_CODEC_ID_MJPEG};
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return SniffedFormat{"png", AV_CODEC_ID_PNG};
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    return SniffedFormat{"webp", AV_CODEC_ID_WEBP};
  }
  return std::nullopt;
}

// FFmpeg decodes a JPEG cut short without complaint ("EOI missing, emulating") and greys
// out the rest. Entropy-coded data never holds FF D9, so an intact file has that end marker
// after its last start-of-scan.
bool JpegHasEnd(std::string_view bytes) {
  const std::size_t last_scan = bytes.rfind("\xFF\xDA");
  return last_scan != std::string_view::npos &&
         bytes.find("\xFF\xD9", last_scan) != std::string_view::npos;
}

Result<std::string> ReadImageFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Internal("cannot read " + path + ": " + ec.message());
  if (size == 0) return Invalid("the image file is empty");
  if (size > kMaxImageFileBytes) {
    return PayloadTooLarge("IMAGE_TOO_LARGE", "the image is larger than the limit of " +
                                                  std::to_string(kMaxImageFileBytes >> 20) +
                                                  " MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) return Internal("cannot read " + path);
  return bytes;
}

// The whole file is one packet: that is how FFmpeg's own image readers feed these decoders,
// and it keeps the demuxers (and their probing) out of the way of hostile input.
Result<detail::FramePtr> Decode(std::string_view bytes, AVCodecID codec_id) {
  const AVCodec* codec = avcodec_find_decoder(codec_id);
  if (codec == nullptr) {
    return Internal(std::string("FFmpeg was built without the ") + avcodec_get_name(codec_id) +
                    " decoder");
  }
  detail::CodecPtr decoder(avcodec_alloc_context3(codec));
  detail::PacketPtr packet(av_packet_alloc());
  detail::FramePtr frame(av_frame_alloc());
  if (!decoder || !packet || !frame) return Internal("cannot allocate the image decoder");
  decoder->thread_count = 1;
  decoder->max_pixels = kMaxImagePixels;
  if (avcodec_open2(decoder.get(), codec, nullptr) < 0) {
    return Internal("cannot open the image decoder");
  }
  if (av_new_packet(packet.get(), static_cast<int>(bytes.size())) < 0) {
    return Internal("cannot allocate the image packet");
  }
  std::memcpy(packet->data, bytes.data(), bytes.size());
  // Both sends are checked: a decoder that refuses either has not taken the whole image.
  const bool sent = avcodec_send_packet(decoder.get(), packet.get()) >= 0 &&
                    avcodec_send_packet(decoder.get(), nullptr) >= 0;
  // The decoder refuses a canvas above max_pixels before allocating it, as it refuses
  // damage: the sentence names both.
  if (!sent || avcodec_receive_frame(decoder.get(), frame.get()) < 0 ||
      !detail::IsCleanFrame(*frame) || frame->width <= 0 || frame->height <= 0) {
    return Invalid(std::string(kCorrupt));
  }
  return frame;
}

// EXIF orientation 1–8 (1: as stored). FFmpeg's JPEG decoder puts the EXIF tags in the
// frame's metadata; PNG and WebP carry none there.
int ExifOrientation(const AVFrame& frame) {
  const AVDictionaryEntry* entry = av_dict_get(frame.metadata, "Orientation", nullptr, 0);
  if (entry == nullptr) return 1;
  const std::string_view value = entry->value;
  const auto digit = value.find_first_not_of(" \t\r\n");
  if (digit == std::string_view::npos || value.size() != digit + 1) return 1;
  const int orientation = value[digit] - '0';
  return orientation >= 1 && orientation <= 8 ? orientation : 1;
}

// Orientations 5–8 turn the picture a quarter: display width is stored height.
bool Transposes(int orientation) {
  return orientation >= 5;
}

struct Size {
  int width = 0;
  int height = 0;
};

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// The source region to use and the upright size it becomes.
struct Plan {
  Rect crop;    // in stored (not yet oriented) pixels
  Size output;  // upright
};

Plan PlanFit(Size stored, int orientation, ImageFit fit) {
  const Size upright = Transposes(orientation) ? Size{stored.height, stored.width} : stored;
  if (fit.mode == ImageFit::Mode::kSquare) {
    // The centred square is the same region whichever way the picture is turned.
    const int side = std::min(stored.width, stored.height);
    return {{(stored.width - side) / 2, (stored.height - side) / 2, side, side},
            {fit.size, fit.size}};
  }
  const double scale =
      std::min({1.0, static_cast<double>(fit.size) / upright.width,
                static_cast<double>(fit.size) * kMaxHeightPerWidth / upright.height});
  const auto scaled = [scale](int v) {
    return std::max(1, static_cast<int>(std::lround(v * scale)));
  };
  return {{0, 0, stored.width, stored.height}, {scaled(upright.width), scaled(upright.height)}};
}

// 1-bit formats cannot be cropped by moving pointers; they become 8-bit grey first.
Result<detail::FramePtr> Croppable(detail::FramePtr frame) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
  if (desc == nullptr) return Invalid(std::string(kCorrupt));
  if ((desc->flags & AV_PIX_FMT_FLAG_BITSTREAM) == 0) return frame;
  detail::FramePtr grey(av_frame_alloc());
  if (!grey) return Internal("cannot allocate a frame");
  grey->format = AV_PIX_FMT_GRAY8;
  grey->width = frame->width;
  grey->height = frame->height;
  if (av_frame_get_buffer(grey.get(), 0) < 0) return Internal("cannot allocate a frame");
  detail::SwsPtr sws(sws_getContext(
      frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), grey->width,
      grey->height, AV_PIX_FMT_GRAY8, SWS_POINT, nullptr, nullptr, nullptr));
  if (!sws) return Internal("cannot convert the image's pixel format");
  if (sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, grey->data,
                grey->linesize) <= 0) {
    return Invalid(std::string(kCorrupt));
  }
  return grey;
}

Status Crop(AVFrame& frame, const Rect& rect) {
  frame.crop_left = static_cast<std::size_t>(rect.x);
  frame.crop_top = static_cast<std::size_t>(rect.y);
  frame.crop_right = static_cast<std::size_t>(frame.width - rect.x - rect.width);
  frame.crop_bottom = static_cast<std::size_t>(frame.height - rect.y - rect.height);
  if (av_frame_apply_cropping(&frame, AV_FRAME_CROP_UNALIGNED) < 0 || frame.width != rect.width ||
      frame.height != rect.height) {
    return Internal("cannot crop the image");
  }
  return Status::Ok();
}

// Packed RGBA, 4 bytes a pixel, rows without padding.
struct Rgba {
  Size size;
  std::vector<std::uint8_t> pixels;
};

// Scales `frame` to `size` as RGBA. JPEG's YUV is full range; other YUV sources say so
// themselves or are limited range, as the scaler assumes.
Result<Rgba> ScaleToRgba(const AVFrame& frame, Size size) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  detail::SwsPtr sws(sws_getContext(frame.width, frame.height, format, size.width, size.height,
                                    AV_PIX_FMT_RGBA, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!sws) return Internal("cannot convert the image's pixel format");
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
  if (desc != nullptr && (desc->flags & AV_PIX_FMT_FLAG_RGB) == 0 && desc->nb_components >= 3) {
    int* inv_table = nullptr;
    int* table = nullptr;
    int src_full = 0, dst_full = 0, brightness = 0, contrast = 0, saturation = 0;
    sws_getColorspaceDetails(sws.get(), &inv_table, &src_full, &table, &dst_full, &brightness,
                             &contrast, &saturation);
    src_full = src_full || frame.color_range == AVCOL_RANGE_JPEG;
    sws_setColorspaceDetails(sws.get(), sws_getCoefficients(frame.colorspace), src_full, table,
                             dst_full, brightness, contrast, saturation);
  }
  Rgba out{size, std::vector<std::uint8_t>(std::size_t{4} * size.width * size.height)};
  std::uint8_t* const dst[4] = {out.pixels.data(), nullptr, nullptr, nullptr};
  const int dst_stride[4] = {4 * size.width, 0, 0, 0};
  // A refusal would leave `out` black, and the picture saved as if it were the upload.
  if (sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, dst, dst_stride) <= 0) {
    return Invalid(std::string(kCorrupt));
  }
  return out;
}

// JPEG has no transparency: see-through pixels show white, as on a light page.
void FlattenOntoWhite(Rgba& image) {
  for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
    const unsigned alpha = image.pixels[i + 3];
    if (alpha == 255) continue;
    for (std::size_t c = 0; c < 3; ++c) {
      image.pixels[i + c] = static_cast<std::uint8_t>(
          (image.pixels[i + c] * alpha + 255 * (255 - alpha) + 127) / 255);
    }
    image.pixels[i + 3] = 255;
  }
}

// Turns `image` upright per its EXIF orientation (the standard's 8 cases: mirrors, quarter
// turns and both).
Rgba Orient(Rgba image, int orientation) {
  if (orientation == 1) return image;
  const int w = image.size.width;
  const int h = image.size.height;
  const Size upright = Transposes(orientation) ? Size{h, w} : Size{w, h};
  Rgba out{upright, std::vector<std::uint8_t>(image.pixels.size())};
  for (int y = 0; y < upright.height; ++y) {
    for (int x = 0; x < upright.width; ++x) {
      int sx = x;
      int sy = y;
      switch (orientation) {
        case 2:  // mirrored
          sx = w - 1 - x;
          break;
        case 3:  // half turn
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:  // mirrored upside down
          sy = h - 1 - y;
          break;
        case 5:  // transposed
          sx = y;
          sy = x;
          break;
        case 6:  // quarter turn clockwise
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:  // transversed
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        default:  // 8: quarter turn anticlockwise
          sx = w - 1 - y;
          sy = x;
          break;
      }
      std::memcpy(&out.pixels[(std::size_t{4} * y * upright.width) + 4 * x],
                  &image.pixels[(std::size_t{4} * sy * w) + 4 * sx], 4);
    }
  }
  return out;
}

}  // namespace

Result<ImageInfo> TranscodeImage(const std::string& image_path, const std::string& jpeg_path,
                                 ImageFit fit) {
  if (fit.size <= 0) return Internal("image fit size must be positive");
  detail::QuietFfmpegLogs();
  auto bytes = ReadImageFile(image_path);
  if (!bytes.ok()) return bytes.status();
  const auto format = Sniff(*bytes);
  if (!format) return Invalid("not a JPEG, PNG or WebP image");
  if (format->codec == AV_CODEC_ID_MJPEG && !JpegHasEnd(*bytes)) {
    return Invalid(std::string(kCorrupt));
  }

  auto decoded = Decode(*bytes, format->codec);
  if (!decoded.ok()) return decoded.status();
  const int orientation = ExifOrientation(**decoded);
  const Size stored{(*decoded)->width, (*decoded)->height};
  const Plan plan = PlanFit(stored, orientation, fit);

  auto frame = Croppable(std::move(*decoded));
  if (!frame.ok()) return frame.status();
  if (Status s = Crop(**frame, plan.crop); !s.ok()) return s;
  // Scaled in stored orientation to what becomes `plan.output` once turned.
  const Size scaled =
      Transposes(orientation) ? Size{plan.output.height, plan.output.width} : plan.output;
  auto rgba = ScaleToRgba(**frame, scaled);
  if (!rgba.ok()) return rgba.status();
  FlattenOntoWhite(*rgba);
  const Rgba upright = Orient(std::move(*rgba), orientation);

  if (Status s = detail::WriteRgbaAsJpeg(upright.pixels.data(), upright.size.width,
                                         upright.size.height, jpeg_path);
      !s.ok()) {
    return s;
  }
  const Size shown = Transposes(orientation) ? Size{stored.height, stored.width} : stored;
  return ImageInfo{format->name, shown.width, shown.height, upright.size.width,
                   upright.size.height};
}

}  // namespace reel::media
