#include "kit/media/jpeg_writer.hpp"

#include <fstream>

#include "kit/media/ffmpeg_handles.hpp"

namespace reel::media::detail {
namespace {

// MJPEG quantiser scale: 2 is near-lossless, 31 worst; 3 is visually clean at
// a fraction of the size.
constexpr int kJpegQscale = 3;

Result<FramePtr> ToJpegPicture(const std::uint8_t* rgba, int width, int height) {
  FramePtr picture(av_frame_alloc());
  if (!picture) return Internal("cannot allocate the JPEG picture");
  picture->format = AV_PIX_FMT_YUVJ420P;
  picture->width = width;
  picture->height = height;
  picture->color_range = AVCOL_RANGE_JPEG;
  if (av_frame_get_buffer(picture.get(), 0) < 0) return Internal("cannot allocate the picture");
  SwsPtr sws(sws_getContext(width, height, AV_PIX_FMT_RGBA, width, height, AV_PIX_FMT_YUVJ420P,
                            SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!sws) return Internal("cannot convert the picture for JPEG");
  const std::uint8_t* const src[4] = {rgba, nullptr, nullptr, nullptr};
  const int src_stride[4] = {4 * width, 0, 0, 0};
  // A refusal (bad pointers or strides) leaves the picture's buffer as allocated: encoding
  // it would write a JPEG of whatever memory held.
  if (sws_scale(sws.get(), src, src_stride, 0, height, picture->data, picture->linesize) <= 0) {
    return Internal("cannot convert the picture for JPEG");
  }
  return picture;
}

Result<PacketPtr> EncodeJpeg(AVFrame& picture) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return Internal("FFmpeg was built without the MJPEG encoder");
  CodecPtr encoder(avcodec_alloc_context3(codec));
  PacketPtr packet(av_packet_alloc());
  if (!encoder || !packet) return Internal("cannot allocate the JPEG encoder");
  encoder->width = picture.width;
  encoder->height = picture.height;
  encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
  encoder->color_range = AVCOL_RANGE_JPEG;
  encoder->time_base = AVRational{1, 25};
  encoder->flags |= AV_CODEC_FLAG_QSCALE;
  encoder->global_quality = FF_QP2LAMBDA * kJpegQscale;
  if (avcodec_open2(encoder.get(), codec, nullptr) < 0) {
    return Internal("cannot open the JPEG encoder");
  }
  picture.quality = encoder->global_quality;  // fixed-quantiser mode reads it per frame
  picture.pts = 0;
  if (avcodec_send_frame(encoder.get(), &picture) < 0 ||
      avcodec_send_frame(encoder.get(), nullptr) < 0 ||
      avcodec_receive_packet(encoder.get(), packet.get()) < 0) {
    return Internal("cannot encode the image as JPEG");
  }
  return packet;
}

Status WriteFile(const std::string& path, const AVPacket& packet) {
  TempOutput temp(path);
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(packet.data), packet.size);
    out.close();
    if (!out) return Internal("cannot write the image to " + temp.path());
  }
  return temp.Commit();
}

}  // namespace

Status WriteJpeg(AVFrame& picture, const std::string& path) {
  auto jpeg = EncodeJpeg(picture);
  if (!jpeg.ok()) return jpeg.status();
  return WriteFile(path, **jpeg);
}

Status WriteRgbaAsJpeg(const std::uint8_t* rgba, int width, int height, const std::string& path) {
  auto picture = ToJpegPicture(rgba, width, height);
  if (!picture.ok()) return picture.status();
  return WriteJpeg(**picture, path);
}

}  // namespace reel::media::detail
