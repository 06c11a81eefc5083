#include "video/api/video_rpc.hpp"

namespace reel::video {

void ToProto(const Video& video, v1::Video& out) {
  out.set_id(video.id);
  out.set_author_id(video.author_id);
  out.set_title(video.title);
  out.set_description(video.description);
  out.set_play_key(video.media_key);
  out.set_cover_key(video.cover_key);
  out.set_created_at_ms(video.created_at_ms);
  out.set_width(video.width);
  out.set_height(video.height);
  out.set_duration_ms(video.duration_ms);
}

Result<v1::CreateVideoReply> VideoRpc::CreateVideo(const v1::CreateVideoRequest& request) {
  auto video = service_.Create(request.author_id(), request.title(), request.description(),
                               request.media_key());
  if (!video.ok()) return video.status();
  v1::CreateVideoReply reply;
  ToProto(*video, *reply.mutable_video());
  return reply;
}

Result<v1::GetVideosReply> VideoRpc::GetVideos(const v1::GetVideosRequest& request) {
  const auto& ids = request.video_ids();
  v1::GetVideosReply reply;
  for (const Video& v : service_.Get({ids.data(), static_cast<std::size_t>(ids.size())})) {
    ToProto(v, *reply.add_videos());
  }
  return reply;
}

Result<v1::ListVideosReply> VideoRpc::ListVideos(const v1::ListVideosRequest& request) {
  VideoPage page = service_.List(request.author_id(), request.before_ms(), request.limit());
  v1::ListVideosReply reply;
  for (const Video& v : page.videos) ToProto(v, *reply.add_videos());
  reply.set_next_before_ms(page.next_before_ms);
  return reply;
}

Result<v1::CountWorksReply> VideoRpc::CountWorks(const v1::CountWorksRequest& request) {
  const auto& ids = request.author_ids();
  v1::CountWorksReply reply;
  for (const auto& [author, count] :
       service_.CountWorks({ids.data(), static_cast<std::size_t>(ids.size())})) {
    (*reply.mutable_work_counts())[author] = count;
  }
  return reply;
}

}  // namespace reel::video
