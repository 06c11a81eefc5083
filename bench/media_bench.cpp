// Times the media module on a ~10 MB 720p H.264/AAC upload against the ffmpeg CLI doing the
// same work (what a service shelling out to ffprobe/ffmpeg would pay), median of kRuns each.
// Needs the ffmpeg and ffprobe CLIs; works in a temp dir it removes on exit.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "video/media/cover_extractor.hpp"
#include "video/media/faststart.hpp"
#include "video/media/media_probe.hpp"

namespace {

namespace media = reel::video::media;
using Clock = std::chrono::steady_clock;

constexpr int kRuns = 5;
constexpr int kClipSeconds = 20;

// The bench's working directory, removed however main returns.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() /
              ("reel_media_bench_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

bool Shell(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

// Median wall time of kRuns calls of `fn`, in milliseconds; negative if any call failed.
template <typename Fn>
double MedianMs(Fn&& fn) {
  std::vector<double> times;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = Clock::now();
    if (!fn()) return -1;
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[kRuns / 2];
}

void PrintRow(const char* step, double ours, double cli, const char* reference) {
  std::printf("%-12s %9.1f %9.1f %9.2f   %s\n", step, ours, cli, ours / cli, reference);
}

}  // namespace

int main() {
  ScratchDir dir;
  const std::string video = dir.File("upload.mp4");  // index at the end, as phones often write
  // Temporal noise keeps x264 busy at the target bitrate, so the file really is ~10 MB.
  const std::string generate =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=" +
      std::to_string(kClipSeconds) +
      " -f lavfi -i sine=frequency=440:duration=" + std::to_string(kClipSeconds) +
      " -vf noise=alls=10:allf=t -c:v libx264 -preset ultrafast -b:v 4M -maxrate 4M"
      " -bufsize 8M -c:a aac -b:a 128k '" +
      video + "'";
  if (!Shell(generate)) {
    std::fprintf(stderr, "cannot generate the clip (is the ffmpeg CLI installed?)\n");
    return 1;
  }
  const auto info = media::ProbeVideo(video);
  if (!info.ok()) {
    std::fprintf(stderr, "probe failed: %s\n", info.status().message.c_str());
    return 1;
  }

  const std::string cover = dir.File("cover.jpg");
  const std::string fast = dir.File("fast.mp4");
  const double probe = MedianMs([&] { return media::ProbeVideo(video).ok(); });
  const double extract = MedianMs([&] { return media::ExtractCover(video, cover).ok(); });
  const double both = MedianMs(
      [&] { return media::ProbeVideo(video).ok() && media::ExtractCover(video, cover).ok(); });
  const double faststart = MedianMs([&] {
    auto rewritten = media::MakeFaststart(video, fast);
    return rewritten.ok() && *rewritten;
  });

  const std::string quoted = "'" + video + "'";
  const std::string ffprobe =
      "ffprobe -v error -show_format -show_streams " + quoted + " > /dev/null";
  const std::string ffmpeg_cover = "ffmpeg -nostdin -v error -y -ss 1 -i " + quoted +
                                   " -frames:v 1 -vf \"scale='min(720,iw)':-2\" -q:v 3 '" +
                                   dir.File("cli.jpg") + "'";
  const std::string ffmpeg_faststart = "ffmpeg -nostdin -v error -y -i " + quoted +
                                       " -map 0 -c copy -movflags +faststart '" +
                                       dir.File("cli_fast.mp4") + "'";
  const double cli_probe = MedianMs([&] { return Shell(ffprobe); });
  const double cli_cover = MedianMs([&] { return Shell(ffmpeg_cover); });
  const double cli_both = MedianMs([&] { return Shell(ffprobe) && Shell(ffmpeg_cover); });
  const double cli_faststart = MedianMs([&] { return Shell(ffmpeg_faststart); });
  if (std::min({probe, extract, both, faststart, cli_probe, cli_cover, cli_both, cli_faststart}) <
      0) {
    std::fprintf(stderr, "a timed step failed\n");
    return 1;
  }

  const double megabytes = static_cast<double>(std::filesystem::file_size(video)) / 1e6;
  std::printf("media bench: %dx%d %s, %.1f s, %.1f MB, median of %d runs\n\n", info->width,
              info->height, info->video_codec.c_str(), info->duration_ms / 1000.0, megabytes,
              kRuns);
  std::printf("%-12s %9s %9s %9s   %s\n", "step", "ours ms", "CLI ms", "ours/CLI", "CLI reference");
  PrintRow("probe", probe, cli_probe, "ffprobe -show_format -show_streams");
  PrintRow("cover", extract, cli_cover, "ffmpeg -ss 1 -i .. -frames:v 1 -vf scale -q:v 3");
  PrintRow("probe+cover", both, cli_both, "both of the above");
  PrintRow("faststart", faststart, cli_faststart, "ffmpeg -i .. -map 0 -c copy +faststart");
  return 0;
}
