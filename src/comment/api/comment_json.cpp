#include "comment/api/comment_json.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "views/user_json.hpp"

namespace reel::comment {

std::string CreateDate(std::int64_t created_at_ms) {
  using namespace std::chrono;
  const year_month_day day{floor<days>(sys_time<milliseconds>(milliseconds(created_at_ms)))};
  const auto two_digits = [](unsigned v) {
    return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  };
  return two_digits(static_cast<unsigned>(day.month())) + "-" +
         two_digits(static_cast<unsigned>(day.day()));
}

void WriteCommentJson(json::JsonWriter& w, const v1::Comment& comment,
                      const user::v1::User& author) {
  w.BeginObject().Field("id", comment.id()).Field("video_id", comment.video_id()).Key("user");
  views::WriteUserJson(w, author);
  w.Field("content", comment.content())
      .Field("created_at", comment.created_at_ms())
      .Field("create_date", CreateDate(comment.created_at_ms()))
      .EndObject();
}

Result<std::int64_t> ReadParentId(const http::Params& params) {
  auto parent = params.OptionalInt("parent_id");
  if (!parent.ok()) return parent.status();
  const std::int64_t id = parent->value_or(0);
  if (id < 0) return InvalidArgument("PARAM_INVALID", "parameter 'parent_id' must be a comment id");
  return id;
}

void WriteApiCommentJson(json::JsonWriter& w, const v1::Comment& comment, const CommentUsers& users,
                         bool with_replies) {
  const auto author = users.find(comment.user_id());
  if (author == users.end()) return;
  w.BeginObject().Field("id", comment.id()).Field("video_id", comment.video_id()).Key("user");
  views::WriteUserJson(w, author->second);
  w.Field("content", comment.content())
      .Field("created_at", comment.created_at_ms())
      .Field("create_date", CreateDate(comment.created_at_ms()))
      .Field("parent_id", comment.parent_id())
      .Field("reply_to_comment_id", comment.reply_to_comment_id())
      .Key("reply_to_user");
  if (const auto to = users.find(comment.reply_to_user_id());
      comment.reply_to_user_id() != 0 && to != users.end()) {
    views::WriteUserJson(w, to->second);
  } else {
    w.Null();
  }
  w.Field("hidden", comment.hidden());
  if (with_replies) {
    w.Field("reply_count", comment.reply_count()).BeginArray("first_replies");
    for (const v1::Comment& reply : comment.first_replies()) {
      WriteApiCommentJson(w, reply, users, false);
    }
    w.EndArray();
  }
  w.EndObject();
}

Result<CommentUsers> CommentPeople(views::UserViews& users,
                                   const google::protobuf::RepeatedPtrField<v1::Comment>& comments,
                                   std::int64_t viewer) {
  std::vector<std::int64_t> ids;
  const auto add = [&](const v1::Comment& c) {
    ids.push_back(c.user_id());
    if (c.reply_to_user_id() != 0) ids.push_back(c.reply_to_user_id());
  };
  for (const v1::Comment& c : comments) {
    add(c);
    for (const v1::Comment& r : c.first_replies()) add(r);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return CommentUsers{};
  return users.Get(ids, viewer);
}

Result<std::unordered_map<std::int64_t, user::v1::User>> CommentAuthors(
    views::UserViews& users, const google::protobuf::RepeatedPtrField<v1::Comment>& comments,
    std::int64_t viewer) {
  std::vector<std::int64_t> author_ids;
  for (const v1::Comment& c : comments) author_ids.push_back(c.user_id());
  std::sort(author_ids.begin(), author_ids.end());
  author_ids.erase(std::unique(author_ids.begin(), author_ids.end()), author_ids.end());
  if (author_ids.empty()) return std::unordered_map<std::int64_t, user::v1::User>{};
  return users.Get(author_ids, viewer);
}

}  // namespace reel::comment
