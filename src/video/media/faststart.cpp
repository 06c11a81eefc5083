#include "video/media/faststart.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "video/media/ffmpeg_handles.hpp"

namespace reel::video::media {
namespace {

constexpr std::string_view kIsoBmffDemuxer = "mov,mp4,m4a,3gp,3g2,mj2";
// Real files have a handful of top-level boxes; this bounds a file made of tiny ones.
constexpr int kMaxTopLevelBoxes = 4096;
// Stream copy writes what it reads; output growing past the input by more than the index
// means the index points at the same bytes over and over (hostile), so we stop.
constexpr std::uint64_t kIndexAllowance = 64ull << 20;

Status Invalid(std::string message) {
  return InvalidArgument("MEDIA_INVALID", std::move(message));
}

std::uint64_t BigEndian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[i];
  return value;
}

bool IsBoxType(std::string_view type) {
  for (char c : type) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Boxes an ISO-BMFF file may start with; anything else means it is some other format.
bool IsLeadingBox(std::string_view type) {
  constexpr std::string_view kLeading[] = {"ftyp", "styp", "moov", "mdat", "free",
                                           "skip", "wide", "pnot", "uuid"};
  for (std::string_view leading : kLeading) {
    if (type == leading) return true;
  }
  return false;
}

// QuickTime files go back out as QuickTime (the mov muxer takes more codecs), the rest as MP4.
const char* MuxerFor(const AVFormatContext& input) {
  const AVDictionaryEntry* brand = av_dict_get(input.metadata, "major_brand", nullptr, 0);
  return brand != nullptr && std::string_view(brand->value) == "qt  " ? "mov" : "mp4";
}

// Keeps the input's codec tag (hvc1 rather than hev1 matters to Apple players) unless the
// muxer maps that tag to another codec.
bool MuxerAcceptsTag(const AVOutputFormat& muxer, const AVCodecParameters& params) {
  if (muxer.codec_tag == nullptr) return true;
  if (av_codec_get_id(muxer.codec_tag, params.codec_tag) == params.codec_id) return true;
  unsigned int any_tag = 0;
  return av_codec_get_tag2(muxer.codec_tag, params.codec_id, &any_tag) == 0;
}

// Adds an output stream copying `in`; returns its index, or -1 when it is not copied.
Result<int> AddCopiedStream(AVFormatContext& output, const AVStream& in) {
  const AVMediaType type = in.codecpar->codec_type;
  // Video and audio are what plays; cover art, timecode and data tracks are dropped because
  // the MP4 muxer refuses several of them and no player needs them.
  const bool wanted =
      type == AVMEDIA_TYPE_AUDIO ||
      (type == AVMEDIA_TYPE_VIDEO && !(in.disposition & AV_DISPOSITION_ATTACHED_PIC));
  if (!wanted) return -1;
  AVStream* out = avformat_new_stream(&output, nullptr);
  if (out == nullptr || avcodec_parameters_copy(out->codecpar, in.codecpar) < 0) {
    return Internal("cannot add an output stream");
  }
  if (!MuxerAcceptsTag(*output.oformat, *in.codecpar)) out->codecpar->codec_tag = 0;
  out->time_base = in.time_base;
  out->disposition = in.disposition;
  // Fails only without memory; the stream's language and handler name would be lost.
  if (av_dict_copy(&out->metadata, in.metadata, 0) < 0) {
    return Internal("cannot copy stream metadata");
  }
  // Stream side data carries the display matrix: without it portrait videos play sideways.
  for (int i = 0; i < in.nb_side_data; ++i) {
    const AVPacketSideData& side = in.side_data[i];
    std::uint8_t* copy = av_stream_new_side_data(out, side.type, side.size);
    if (copy == nullptr) return Internal("cannot copy stream side data");
    std::memcpy(copy, side.data, side.size);
  }
  return out->index;
}

// Copies every packet of the mapped streams from `input` to `output` (header already written).
Status CopyPackets(AVFormatContext& input, AVFormatContext& output,
                   const std::vector<int>& stream_map, std::uint64_t max_bytes) {
  detail::PacketPtr packet(av_packet_alloc());
  if (!packet) return Internal("cannot allocate a packet");
  std::uint64_t copied = 0;
  while (true) {
    const int err = av_read_frame(&input, packet.get());
    if (err == AVERROR_EOF) return Status::Ok();
    if (err < 0) {
      return Invalid("the video is truncated or corrupt");
    }
    const int out_index = stream_map[static_cast<std::size_t>(packet->stream_index)];
    if (out_index < 0) {
      av_packet_unref(packet.get());
      continue;
    }
    copied += static_cast<std::uint64_t>(packet->size);
    if (copied > max_bytes) {
      return Invalid("the video is corrupt (its index is inconsistent)");
    }
    av_packet_rescale_ts(packet.get(), input.streams[packet->stream_index]->time_base,
                         output.streams[out_index]->time_base);
    packet->stream_index = out_index;
    packet->pos = -1;
    // Takes the packet's data and leaves it blank for the next read.
    // EINVAL is the muxer refusing the packet's timestamps (the input's fault); anything
    // else is our disk.
    if (const int written = av_interleaved_write_frame(&output, packet.get()); written < 0) {
      return written == AVERROR(EINVAL) ? Invalid("the video is corrupt (bad timestamps)")
                                        : Internal("cannot write the remuxed video");
    }
  }
}

}  // namespace

std::optional<bool> MoovBeforeMdat(const std::string& path) {
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;

  std::uint64_t offset = 0;
  for (int box = 0; box < kMaxTopLevelBoxes && file_size - offset >= 8; ++box) {
    std::array<unsigned char, 16> header{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(header.data()), 8)) return std::nullopt;
    const std::string_view type(reinterpret_cast<const char*>(header.data()) + 4, 4);
    if (!IsBoxType(type) || (box == 0 && !IsLeadingBox(type))) return std::nullopt;
    if (type == "moov") return true;
    if (type == "mdat") return false;

    std::uint64_t size = BigEndian(header.data(), 4);
    std::uint64_t header_size = 8;
    if (size == 1) {  // the real size follows as 64 bits
      if (!in.read(reinterpret_cast<char*>(header.data()) + 8, 8)) return std::nullopt;
      size = BigEndian(header.data() + 8, 8);
      header_size = 16;
    } else if (size == 0) {  // runs to the end of the file
      size = file_size - offset;
    }
    if (size < header_size || size > file_size - offset) return std::nullopt;
    offset += size;
  }
  return std::nullopt;
}

Result<bool> MakeFaststart(const std::string& in, const std::string& out) {
  const std::optional<bool> moov_first = MoovBeforeMdat(in);
  if (!moov_first.has_value() || *moov_first) return false;
  auto opened = detail::OpenInput(in);
  if (!opened.ok()) return opened.status();
  AVFormatContext& input = **opened;
  if (input.iformat->name != kIsoBmffDemuxer) return false;

  detail::TempOutput temp(out);
  AVFormatContext* raw = nullptr;
  if (avformat_alloc_output_context2(&raw, nullptr, MuxerFor(input), temp.path().c_str()) < 0) {
    return Internal("cannot create the MP4 muxer");
  }
  detail::OutputPtr output(raw);
  std::vector<int> stream_map(input.nb_streams, -1);
  bool any_stream = false;
  for (unsigned i = 0; i < input.nb_streams; ++i) {
    auto index = AddCopiedStream(*output, *input.streams[i]);
    if (!index.ok()) return index.status();
    stream_map[i] = *index;
    any_stream = any_stream || *index >= 0;
  }
  if (!any_stream) {
    return Invalid("the file has no video or audio stream");
  }
  // Fails only without memory; the copy would lose its creation time and brand.
  if (av_dict_copy(&output->metadata, input.metadata, 0) < 0) {
    return Internal("cannot copy the video's metadata");
  }

  if (avio_open(&output->pb, temp.path().c_str(), AVIO_FLAG_WRITE) < 0) {
    return Internal("cannot create " + temp.path());
  }
  detail::Options options;
  options.Set("movflags", "+faststart");
  // The streams come from the input as they are, so a refusal is the input's doing.
  if (avformat_write_header(output.get(), options.address()) < 0) {
    return Invalid("the video's streams cannot be stored in MP4");
  }
  // file_size reports an error as (uintmax_t)-1: added to the allowance that would wrap
  // to a limit just under 64 MiB and refuse a large video as corrupt.
  std::error_code ec;
  const std::uint64_t in_size = std::filesystem::file_size(in, ec);
  if (ec) return Internal("cannot read the size of " + in + ": " + ec.message());
  const std::uint64_t max_bytes = in_size + kIndexAllowance;
  if (Status s = CopyPackets(input, *output, stream_map, max_bytes); !s.ok()) return s;
  // The trailer writes the index and, with +faststart, moves it in front of the media data.
  if (av_write_trailer(output.get()) < 0 || avio_closep(&output->pb) < 0) {
    return Internal("cannot finish writing " + temp.path());
  }
  if (Status s = temp.Commit(); !s.ok()) return s;
  return true;
}

}  // namespace reel::video::media
