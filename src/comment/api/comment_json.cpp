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
