#include "views/video_views.hpp"

#include "views/user_json.hpp"

namespace reel::views {
namespace {

std::string_view AuditStatusName(video::v1::AuditStatus status) {
  switch (status) {
    case video::v1::PENDING:
      return "pending";
    case video::v1::REJECTED:
      return "rejected";
    default:
      return "approved";
  }
}

}  // namespace

Result<VideoViews::PageContext> VideoViews::Load(VideoRefs videos, std::int64_t viewer) {
  PageContext page;
  if (videos.empty()) return page;
  std::vector<std::int64_t> author_ids;
  author_ids.reserve(videos.size());
  favorite::v1::VideoStatsRequest favorites_request;
  favorites_request.set_viewer_id(viewer);
  comment::v1::CountCommentsRequest comments_request;
  for (const video::v1::Video* v : videos) {
    author_ids.push_back(v->author_id());
    favorites_request.add_video_ids(v->id());
    comments_request.add_video_ids(v->id());
  }
  auto authors = users_.Get(author_ids, viewer, &page.degraded, &page.hidden_authors);
  if (authors.ok()) {
    page.authors = std::move(*authors);
  } else if (DegradeWhenDown(authors.status(), "authors")) {
    // Without the user service the videos are still worth showing: authors by id only.
    for (std::int64_t id : author_ids) page.authors[id] = users_.KnownOnlyById(id);
    page.degraded = true;
  } else {
    return authors.status();
  }
  if (clients_.favorites) {
    auto reply = clients_.favorites->VideoStats(favorites_request);
    if (reply.ok()) {
      page.favorites = std::move(*reply);
    } else if (DegradeWhenDown(reply.status(), "favorite counts")) {
      page.degraded = true;
    } else {
      return reply.status();
    }
  }
  if (clients_.comments) {
    auto reply = clients_.comments->CountByVideos(comments_request);
    if (reply.ok()) {
      page.comments = std::move(*reply);
    } else if (DegradeWhenDown(reply.status(), "comment counts")) {
      page.degraded = true;
    } else {
      return reply.status();
    }
  }
  return page;
}

Status VideoViews::LoadMarks(std::span<const std::int64_t> video_ids,
                             std::span<const std::int64_t> author_ids, std::int64_t viewer,
                             ViewerMarks& marks) {
  if (clients_.favorites) {
    favorite::v1::VideoStatsRequest request;
    request.set_viewer_id(viewer);
    request.set_viewer_only(true);
    request.mutable_video_ids()->Add(video_ids.begin(), video_ids.end());
    auto reply = clients_.favorites->VideoStats(request);
    if (reply.ok()) {
      for (const auto& [id, stat] : reply->stats()) {
        if (stat.liked_by_viewer()) marks.liked.insert(id);
        if (stat.collected_by_viewer()) marks.collected.insert(id);
      }
    } else if (!DegradeWhenDown(reply.status(), "is_favorite")) {
      return reply.status();
    }
  }
  if (clients_.relations) {
    relation::v1::RelationStatsRequest request;
    request.set_viewer_id(viewer);
    request.set_viewer_only(true);
    request.mutable_user_ids()->Add(author_ids.begin(), author_ids.end());
    auto reply = clients_.relations->Stats(request);
    if (reply.ok()) {
      for (const auto& [id, stat] : reply->stats()) {
        if (stat.followed_by_viewer()) marks.followed.insert(id);
      }
    } else if (!DegradeWhenDown(reply.status(), "is_follow")) {
      return reply.status();
    }
  }
  return Status::Ok();
}

std::shared_ptr<const RenderedVideo> VideoViews::RenderOne(const video::v1::Video& v,
                                                           const PageContext& page,
                                                           std::uint64_t epoch) const {
  auto out = std::make_shared<RenderedVideo>();
  out->video_id = v.id();
  out->author_id = v.author_id();
  out->epoch = epoch;
  auto author = page.authors.find(v.author_id());
  if (author == page.authors.end()) return out;  // not shown
  const auto stat = page.favorites.stats().find(v.id());
  const auto count = page.comments.counts().find(v.id());
  json::JsonWriter w(1024);
  w.BeginObject().Field("id", v.id()).Key("author");
  views::WriteUserJson(w, author->second, &out->is_follow_end);
  w.Field("play_url", urls_.Of(v.play_key()))
      .Field("cover_url", urls_.Of(v.cover_key()))
      .Field("favorite_count",
             stat != page.favorites.stats().end() ? stat->second.favorite_count() : std::int64_t{0})
      .Field("comment_count",
             count != page.comments.counts().end() ? count->second : std::int64_t{0})
      .Field("is_favorite", false);
  out->is_favorite_end = w.size();
  const bool counted = stat != page.favorites.stats().end();
  w.Field("collect_count", counted ? stat->second.collect_count() : std::int64_t{0})
      .Field("is_collected", false);
  out->is_collected_end = w.size();
  w.Field("share_count", counted ? stat->second.share_count() : std::int64_t{0});
  w.Field("title", v.title()).Field("description", v.description()).BeginArray("tags");
  for (const std::string& tag : v.tags()) w.Value(tag);
  w.EndArray()
      .Field("created_at", v.created_at_ms())
      .Field("width", std::int64_t{v.width()})
      .Field("height", std::int64_t{v.height()})
      .Field("duration_ms", v.duration_ms());
  // Issue 16: visibility and provenance (/api only; the Douyin routes' clients ignore
  // unknown fields). A video not visible to everyone reaches only its author (and
  // moderators), so only there does the object say why it is held or rejected.
  const bool visible_to_all =
      v.is_public() && (v.audit_status() == video::v1::APPROVED ||
                        v.audit_status() == video::v1::AUDIT_STATUS_UNSPECIFIED);
  w.Field("is_public", v.is_public()).Field("audit_status", AuditStatusName(v.audit_status()));
  if (!visible_to_all) w.Field("audit_reason", v.audit_reason());
  w.Field("is_original", v.is_original()).Field("source_url", v.source_url()).EndObject();
  out->json = w.Take();
  return out;
}

std::vector<bool> VideoViews::ReadAgainToKeep(std::vector<const video::v1::Video*>& videos,
                                              video::v1::GetVideosReply& fresh) {
  std::vector<bool> keep(videos.size(), false);
  if (!rendered_ || !clients_.videos) return keep;
  video::v1::GetVideosRequest get;
  for (const video::v1::Video* v : videos) get.add_video_ids(v->id());
  // The same videos again, whoever may see them: the caller decided that already.
  get.set_all_states(true);
  auto reply = clients_.videos->GetVideos(get);
  if (!reply.ok()) return keep;
  fresh = std::move(*reply);
  std::unordered_map<std::int64_t, const video::v1::Video*> fresh_by_id;
  for (const auto& v : fresh.videos()) fresh_by_id.emplace(v.id(), &v);
  for (std::size_t k = 0; k < videos.size(); ++k) {
    if (auto it = fresh_by_id.find(videos[k]->id()); it != fresh_by_id.end()) {
      videos[k] = it->second;
      keep[k] = true;
    }
  }
  return keep;
}

Result<VideoViews::RenderedPage> VideoViews::Render(VideoRefs videos, std::int64_t viewer) {
  // Noted before anything is read, so a rendering made from what follows is kept only if
  // no store changed meanwhile.
  const std::uint64_t epoch = rendered_ ? rendered_->Epoch() : 0;
  RenderedPage out;
  out.videos.resize(videos.size());
  std::vector<const video::v1::Video*> missing;
  std::vector<std::size_t> missing_at;
  std::vector<std::int64_t> reused_videos;
  std::vector<std::int64_t> reused_authors;
  for (std::size_t i = 0; i < videos.size(); ++i) {
    // A viewer's own videos are rendered for them alone: their author object counts all of
    // the viewer's works (private and held ones too), which no one else may see.
    if (rendered_ && videos[i]->author_id() != viewer) {
      if (auto found = rendered_->Find(videos[i]->id(), epoch)) {
        if (found->shown()) {
          reused_videos.push_back(found->video_id);
          reused_authors.push_back(found->author_id);
        }
        out.videos[i] = std::move(found);
        continue;
      }
    }
    missing.push_back(videos[i]);
    missing_at.push_back(i);
  }
  if (!missing.empty()) {
    video::v1::GetVideosReply fresh;
    const std::vector<bool> keep = ReadAgainToKeep(missing, fresh);
    auto page = Load(missing, viewer);
    if (!page.ok()) return page.status();
    // The viewer's marks come with the load; the renderings are made without them.
    for (auto& [id, author] : page->authors) {
      if (viewer != 0 && author.is_follow()) out.marks.followed.insert(id);
      author.set_is_follow(false);
    }
    for (const auto& [id, stat] : page->favorites.stats()) {
      if (viewer != 0 && stat.liked_by_viewer()) out.marks.liked.insert(id);
      if (viewer != 0 && stat.collected_by_viewer()) out.marks.collected.insert(id);
    }
    auto same_for_everyone = [&page](const RenderedVideo& video) {
      if (!video.shown()) return !page->hidden_authors.contains(video.author_id);  // gone
      auto author = page->authors.find(video.author_id);
      return author != page->authors.end() && !author->second.hidden();
    };
    for (std::size_t k = 0; k < missing.size(); ++k) {
      auto video = RenderOne(*missing[k], *page, epoch);
      // A rendering with counters missing is shown but not reused; nor is one that depends
      // on who looks (issue 16): the author's own (their private and pending videos, their
      // full work count), and one by an author hidden pending review, who is found by
      // themselves only, so theirs would leak to others and another's "not shown" would
      // hide it from them.
      if (keep[k] && !page->degraded && missing[k]->author_id() != viewer &&
          same_for_everyone(*video)) {
        rendered_->Keep(video);
      }
      out.videos[missing_at[k]] = std::move(video);
    }
  }
  if (viewer != 0 && !reused_videos.empty()) {
    if (Status s = LoadMarks(reused_videos, reused_authors, viewer, out.marks); !s.ok()) return s;
  }
  return out;
}

void VideoViews::WriteRendered(json::JsonWriter& w, const RenderedPage& page) {
  for (const auto& video : page.videos) {
    if (!video->shown()) continue;  // its author is gone
    video->WriteFor(w, page.marks.followed.contains(video->author_id),
                    page.marks.liked.contains(video->video_id),
                    page.marks.collected.contains(video->video_id));
  }
}

Status VideoViews::WriteVideoArray(
    json::JsonWriter& w, std::string_view key,
    const google::protobuf::RepeatedPtrField<video::v1::Video>& videos, std::int64_t viewer) {
  std::vector<const video::v1::Video*> refs;
  refs.reserve(videos.size());
  for (const auto& v : videos) refs.push_back(&v);
  auto page = Render(refs, viewer);
  if (!page.ok()) return page.status();
  w.BeginArray(key);
  WriteRendered(w, *page);
  w.EndArray();
  return Status::Ok();
}

Status VideoViews::WriteVideoObject(json::JsonWriter& w, std::string_view key,
                                    const video::v1::Video& video, std::int64_t viewer) {
  const video::v1::Video* one[] = {&video};
  auto page = Render(one, viewer);
  if (!page.ok()) return page.status();
  // A video whose author is gone is not shown anywhere, so it is not found here either.
  if (!page->videos[0]->shown()) {
    return NotFound("VIDEO_NOT_FOUND", "no video with id " + std::to_string(video.id()));
  }
  w.Key(key);
  WriteRendered(w, *page);
  return Status::Ok();
}

}  // namespace reel::views
