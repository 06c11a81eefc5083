#include "video/api/video_rpc.hpp"

#include <string>
#include <vector>

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
  out.mutable_tags()->Assign(video.tags.begin(), video.tags.end());
}

void ToProto(Video&& video, v1::Video& out) {
  out.set_id(video.id);
  out.set_author_id(video.author_id);
  out.set_title(std::move(video.title));
  out.set_description(std::move(video.description));
  out.set_play_key(std::move(video.media_key));
  out.set_cover_key(std::move(video.cover_key));
  out.set_created_at_ms(video.created_at_ms);
  out.set_width(video.width);
  out.set_height(video.height);
  out.set_duration_ms(video.duration_ms);
  auto& tags = *out.mutable_tags();
  tags.Reserve(static_cast<int>(video.tags.size()));
  for (std::string& tag : video.tags) tags.Add(std::move(tag));
}

namespace {

std::vector<std::string> TagsOf(const google::protobuf::RepeatedPtrField<std::string>& tags) {
  return {tags.begin(), tags.end()};
}

}  // namespace

Result<v1::CreateVideoReply> VideoRpc::CreateVideo(const v1::CreateVideoRequest& request) {
  const std::vector<std::string> tags = TagsOf(request.tags());
  auto video = service_.Create(request.author_id(), request.title(), request.description(),
                               request.media_key(), tags);
  if (!video.ok()) return video.status();
  v1::CreateVideoReply reply;
  ToProto(*video, *reply.mutable_video());
  return reply;
}

Result<v1::GetVideosReply> VideoRpc::GetVideos(const v1::GetVideosRequest& request) {
  const auto& ids = request.video_ids();
  v1::GetVideosReply reply;
  for (Video& v : service_.Get({ids.data(), static_cast<std::size_t>(ids.size())})) {
    ToProto(std::move(v), *reply.add_videos());
  }
  return reply;
}

Result<v1::ListVideosReply> VideoRpc::ListVideos(const v1::ListVideosRequest& request) {
  VideoPage page;
  if (const auto& authors = request.author_ids(); !authors.empty()) {
    if (request.author_id() != 0) {
      return InvalidArgument("AUTHORS_INVALID", "give author_id or author_ids, not both");
    }
    auto listed = service_.ListByAuthors({authors.data(), static_cast<std::size_t>(authors.size())},
                                         request.before_ms(), request.limit());
    if (!listed.ok()) return listed.status();
    page = std::move(*listed);
  } else {
    page = service_.List(request.author_id(), request.before_ms(), request.limit());
  }
  v1::ListVideosReply reply;
  reply.mutable_videos()->Reserve(static_cast<int>(page.videos.size()));
  for (Video& v : page.videos) ToProto(std::move(v), *reply.add_videos());
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

Result<v1::UpdateVideoReply> VideoRpc::UpdateVideo(const v1::UpdateVideoRequest& request) {
  VideoEdit edit;
  if (request.has_title()) edit.title = request.title();
  if (request.has_description()) edit.description = request.description();
  if (request.replace_tags()) edit.tags = TagsOf(request.tags());
  auto video = service_.Update(request.video_id(), request.author_id(), std::move(edit));
  if (!video.ok()) return video.status();
  v1::UpdateVideoReply reply;
  ToProto(*video, *reply.mutable_video());
  return reply;
}

Result<v1::DeleteVideoReply> VideoRpc::DeleteVideo(const v1::DeleteVideoRequest& request) {
  if (Status s = service_.Delete(request.video_id(), request.author_id()); !s.ok()) return s;
  return v1::DeleteVideoReply{};
}

Result<MediaObject> VideoRpc::IngestUpload(std::int64_t uploader, const std::string& path,
                                           std::string_view sha256) {
  return service_.Ingest(uploader, path, sha256);
}

Result<v1::Video> VideoRpc::PublishUpload(std::int64_t author_id, std::string_view title,
                                          std::string_view description, const std::string& path,
                                          std::string_view sha256) {
  auto video = service_.Publish(author_id, title, description, path, sha256);
  if (!video.ok()) return video.status();
  v1::Video out;
  ToProto(std::move(*video), out);
  return out;
}

Result<v1::ListForReviewReply> VideoRpc::ListForReview(const v1::ListForReviewRequest&) {
  return Internal("ListForReview is not built yet (issue 16)");
}

Result<v1::SetAuditStatusReply> VideoRpc::SetAuditStatus(const v1::SetAuditStatusRequest&) {
  return Internal("SetAuditStatus is not built yet (issue 16)");
}

}  // namespace reel::video
