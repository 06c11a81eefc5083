// EncodePng (default_pictures.hpp) on FFmpeg's PNG encoder.
#include <memory>

#include "user/media/default_pictures.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
}

namespace reel::user {
namespace {

struct CodecDeleter {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};

}  // namespace

Result<std::string> EncodePng(const RgbImage& image) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) return Internal("FFmpeg was built without the PNG encoder");
  std::unique_ptr<AVCodecContext, CodecDeleter> encoder(avcodec_alloc_context3(codec));
  std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
  std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
  if (!encoder || !frame || !packet) return Internal("cannot allocate the PNG encoder");
  encoder->width = image.width;
  encoder->height = image.height;
  encoder->pix_fmt = AV_PIX_FMT_RGB24;
  encoder->time_base = AVRational{1, 1};
  // Paeth prediction turns flat areas and smooth blends into runs deflate packs tightly.
  av_opt_set(encoder->priv_data, "pred", "paeth", 0);
  if (avcodec_open2(encoder.get(), codec, nullptr) < 0) {
    return Internal("cannot open the PNG encoder");
  }
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = image.width;
  frame->height = image.height;
  if (av_frame_get_buffer(frame.get(), 0) < 0) return Internal("cannot allocate the picture");
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(image.At(0, y), static_cast<std::size_t>(image.width) * 3,
                frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0]);
  }
  frame->pts = 0;
  if (avcodec_send_frame(encoder.get(), frame.get()) < 0 ||
      avcodec_send_frame(encoder.get(), nullptr) < 0 ||
      avcodec_receive_packet(encoder.get(), packet.get()) < 0) {
    return Internal("cannot encode the picture as PNG");
  }
  return std::string(reinterpret_cast<const char*>(packet->data),
                     static_cast<std::size_t>(packet->size));
}

}  // namespace reel::user
