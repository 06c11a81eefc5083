#include "interactions_fixture.hpp"

#include <time.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <utility>

namespace reel::e2e {
namespace {

constexpr std::string_view kPassword = "password";

std::string Str(std::int64_t value) {
  return std::to_string(value);
}

Reply MakeReply(HttpResponse response) {
  Reply reply{.response = std::move(response)};
  reply.json.Parse(reply.response.body.c_str());
  return reply;
}

Reply Post(HttpClient& client, std::string_view path, const Pairs& fields) {
  return MakeReply(client.PostForm(path, fields));
}

Reply Get(HttpClient& client, std::string_view path, Pairs query, std::string_view token,
          const Page& page) {
  if (!token.empty()) query.emplace_back("token", std::string(token));
  if (page.cursor) query.emplace_back("cursor", Str(*page.cursor));
  if (page.limit) query.emplace_back("limit", Str(*page.limit));
  return MakeReply(client.Get(WithQuery(path, query)));
}

template <typename T>
void PrintField(std::ostream& out, std::string_view name, const std::optional<T>& value) {
  out << name << '=';
  if (value) {
    out << *value;
  } else {
    out << "missing";
  }
  out << ' ';
}

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += Str(ids[i]);
  }
  return out + "]";
}

}  // namespace

std::string Reply::Message() const {
  return JsonString(json, "status_msg").value_or("");
}

::testing::AssertionResult IsOk(const Reply& reply) {
  if (reply.response.status == 200 && reply.StatusCode() == 0) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected status_code 0: " << reply.Describe();
}

::testing::AssertionResult IsNoop(const Reply& reply, std::string_view message) {
  if (reply.response.status == 200 && reply.StatusCode() == 0 && reply.Message() == message) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected status_code 0 with \"" << message << "\": " << reply.Describe();
}

::testing::AssertionResult IsRefused(const Reply& reply, std::int64_t code) {
  const std::string message = reply.Message();
  if (reply.response.status == 200 && reply.StatusCode() == code && !message.empty() &&
      message != "ok") {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected HTTP 200, status_code " << code << " and a status_msg: " << reply.Describe();
}

// ---- Actions ---------------------------------------------------------------------------------

Reply FavoriteAction(HttpClient& client, const Pairs& fields) {
  return Post(client, "/douyin/favorite/action/", fields);
}
Reply Like(HttpClient& client, const DouyinSession& who, std::int64_t video_id) {
  return FavoriteAction(client,
                        {{"token", who.token}, {"video_id", Str(video_id)}, {"action_type", "1"}});
}
Reply Unlike(HttpClient& client, const DouyinSession& who, std::int64_t video_id) {
  return FavoriteAction(client,
                        {{"token", who.token}, {"video_id", Str(video_id)}, {"action_type", "2"}});
}

Reply CommentAction(HttpClient& client, const Pairs& fields) {
  return Post(client, "/douyin/comment/action/", fields);
}
Reply PostComment(HttpClient& client, const DouyinSession& who, std::int64_t video_id,
                  std::string_view text) {
  return CommentAction(client, {{"token", who.token},
                                {"video_id", Str(video_id)},
                                {"action_type", "1"},
                                {"comment_text", std::string(text)}});
}
Reply DeleteComment(HttpClient& client, const DouyinSession& who, std::int64_t video_id,
                    std::int64_t comment_id) {
  return CommentAction(client, {{"token", who.token},
                                {"video_id", Str(video_id)},
                                {"action_type", "2"},
                                {"comment_id", Str(comment_id)}});
}

Reply RelationAction(HttpClient& client, const Pairs& fields) {
  return Post(client, "/douyin/relation/action/", fields);
}
Reply Follow(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id) {
  return RelationAction(
      client, {{"token", who.token}, {"to_user_id", Str(to_user_id)}, {"action_type", "1"}});
}
Reply Unfollow(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id) {
  return RelationAction(
      client, {{"token", who.token}, {"to_user_id", Str(to_user_id)}, {"action_type", "2"}});
}

Reply MessageAction(HttpClient& client, const Pairs& fields) {
  return Post(client, "/douyin/message/action/", fields);
}
Reply SendMessage(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id,
                  std::string_view content) {
  return MessageAction(client, {{"token", who.token},
                                {"to_user_id", Str(to_user_id)},
                                {"action_type", "1"},
                                {"content", std::string(content)}});
}

// ---- Reads -----------------------------------------------------------------------------------

Reply Chat(HttpClient& client, std::string_view token, std::int64_t to_user_id,
           std::optional<std::int64_t> pre_msg_time) {
  Pairs query = {{"to_user_id", Str(to_user_id)}};
  if (pre_msg_time) query.emplace_back("pre_msg_time", Str(*pre_msg_time));
  return Get(client, "/douyin/message/chat/", std::move(query), token, {});
}

Reply FavoriteList(HttpClient& client, std::optional<std::int64_t> user_id, std::string_view token,
                   const Page& page) {
  Pairs query;
  if (user_id) query.emplace_back("user_id", Str(*user_id));
  return Get(client, "/douyin/favorite/list/", std::move(query), token, page);
}

Reply CommentList(HttpClient& client, std::int64_t video_id, std::string_view token,
                  const Page& page) {
  return Get(client, "/douyin/comment/list/", {{"video_id", Str(video_id)}}, token, page);
}

Reply RelationList(HttpClient& client, std::string_view which, std::int64_t user_id,
                   std::string_view token, const Page& page) {
  const std::string path = "/douyin/relation/" + std::string(which) + "/list/";
  return Get(client, path, {{"user_id", Str(user_id)}}, token, page);
}

Reply UserInfo(HttpClient& client, std::int64_t user_id, std::string_view token) {
  return Get(client, "/douyin/user/", {{"user_id", Str(user_id)}}, token, {});
}

Reply FeedPage(HttpClient& client, std::string_view token) {
  return Get(client, "/douyin/feed/", {}, token, {});
}

// ---- Reading replies -------------------------------------------------------------------------

const rapidjson::Value* ListIn(const Reply& reply, std::string_view key) {
  if (!IsOk(reply)) {
    ADD_FAILURE() << "list " << key << " refused: " << reply.Describe();
    return nullptr;
  }
  const rapidjson::Value* list = JsonAt(reply.json, key);
  if (list != nullptr && list->IsNull()) return nullptr;
  if (list == nullptr || !list->IsArray()) {
    ADD_FAILURE() << key << " is not an array: " << reply.Describe();
    return nullptr;
  }
  return list;
}

std::vector<std::int64_t> IdsIn(const Reply& reply, std::string_view key) {
  std::vector<std::int64_t> ids;
  const rapidjson::Value* list = ListIn(reply, key);
  if (list == nullptr) return ids;
  for (const rapidjson::Value& item : list->GetArray()) {
    const std::optional<std::int64_t> id = JsonInt(item, "id");
    EXPECT_TRUE(id.has_value()) << "an item of " << key << " has no integer id";
    ids.push_back(id.value_or(0));
  }
  return ids;
}

const rapidjson::Value* FindById(const Reply& reply, std::string_view key, std::int64_t id) {
  const rapidjson::Value* list = ListIn(reply, key);
  if (list == nullptr) return nullptr;
  for (const rapidjson::Value& item : list->GetArray()) {
    if (JsonInt(item, "id") == id) return &item;
  }
  return nullptr;
}

std::optional<std::int64_t> NextCursor(const Reply& reply) {
  return JsonInt(reply.json, "next_cursor");
}

std::vector<std::int64_t> AllIds(const std::function<Reply(const Page&)>& fetch,
                                 std::string_view key, std::int64_t limit, int max_pages) {
  std::vector<std::int64_t> all;
  std::int64_t cursor = 0;
  for (int page = 0; page < max_pages; ++page) {
    const Reply reply = fetch({.cursor = cursor, .limit = limit});
    const std::vector<std::int64_t> ids = IdsIn(reply, key);
    all.insert(all.end(), ids.begin(), ids.end());
    const std::optional<std::int64_t> next = NextCursor(reply);
    if (!next) {
      ADD_FAILURE() << "no integer next_cursor: " << reply.Describe();
      return all;
    }
    EXPECT_LE(ids.size(), static_cast<std::size_t>(limit)) << reply.Describe();
    if (*next == 0) return all;
    if (ids.empty()) {
      ADD_FAILURE() << "empty page with next_cursor " << *next << ": " << reply.Describe();
      return all;
    }
    cursor = *next;
  }
  ADD_FAILURE() << key << " did not end within " << max_pages << " pages";
  return all;
}

UserCounts ReadUserCounts(const rapidjson::Value& user) {
  return {.follow_count = JsonInt(user, "follow_count"),
          .follower_count = JsonInt(user, "follower_count"),
          .favorite_count = JsonInt(user, "favorite_count"),
          .total_favorited = JsonInt(user, "total_favorited"),
          .work_count = JsonInt(user, "work_count"),
          .is_follow = JsonBool(user, "is_follow")};
}

std::ostream& operator<<(std::ostream& out, const UserCounts& counts) {
  PrintField(out, "follow_count", counts.follow_count);
  PrintField(out, "follower_count", counts.follower_count);
  PrintField(out, "favorite_count", counts.favorite_count);
  PrintField(out, "total_favorited", counts.total_favorited);
  PrintField(out, "work_count", counts.work_count);
  PrintField(out, "is_follow", counts.is_follow);
  return out;
}

VideoCounts ReadVideoCounts(const rapidjson::Value& video) {
  return {.favorite_count = JsonInt(video, "favorite_count"),
          .comment_count = JsonInt(video, "comment_count"),
          .is_favorite = JsonBool(video, "is_favorite")};
}

std::ostream& operator<<(std::ostream& out, const VideoCounts& counts) {
  PrintField(out, "favorite_count", counts.favorite_count);
  PrintField(out, "comment_count", counts.comment_count);
  PrintField(out, "is_favorite", counts.is_favorite);
  return out;
}

void ExpectUserObject(const rapidjson::Value* user_ptr, std::int64_t id) {
  if (user_ptr == nullptr || !user_ptr->IsObject()) {
    ADD_FAILURE() << "no user object for " << id;
    return;
  }
  const rapidjson::Value& user = *user_ptr;
  EXPECT_EQ(JsonInt(user, "id"), id);
  EXPECT_TRUE(JsonString(user, "name").has_value());
  const UserCounts counts = ReadUserCounts(user);
  EXPECT_TRUE(counts.follow_count && counts.follower_count && counts.favorite_count &&
              counts.total_favorited && counts.work_count && counts.is_follow)
      << counts;
  for (const char* text : {"avatar", "background_image", "signature"}) {
    EXPECT_TRUE(JsonString(user, text).has_value()) << text;
  }
}

std::string UtcMonthDay() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%02d-%02d", utc.tm_mon + 1, utc.tm_mday);
  return text;
}

// ---- Fixture ---------------------------------------------------------------------------------

ServerOptions InteractionTest::Options() const {
  return {.env = {{"REEL_RATE_LIMIT_ENABLED", "false"}}};
}

DouyinSession InteractionTest::NewUser(std::string_view name) {
  const DouyinSession session = RegisterDouyin(Client(), name, kPassword);
  EXPECT_GT(session.user_id, 0) << "could not register " << name;
  return session;
}

std::int64_t InteractionTest::PublishVideo(const DouyinSession& author, const std::string& title) {
  if (!PublishOk(author, MediaKind::kFaststartMp4, title)) return 0;
  const rapidjson::Document videos = Videos(author.user_id, author);
  for (const rapidjson::Value& video : videos.GetArray()) {
    if (JsonString(video, "title") == title) return JsonInt(video, "id").value_or(0);
  }
  ADD_FAILURE() << "published \"" << title << "\" but it is not in the publish list";
  return 0;
}

UserCounts InteractionTest::UserCountsOf(std::int64_t user_id, std::string_view token) {
  const Reply reply = UserInfo(Client(), user_id, token);
  const rapidjson::Value* user = JsonAt(reply.json, "user");
  if (!IsOk(reply) || user == nullptr || !user->IsObject()) {
    ADD_FAILURE() << "user " << user_id << " refused: " << reply.Describe();
    return {};
  }
  return ReadUserCounts(*user);
}

VideoCounts InteractionTest::VideoCountsOf(std::int64_t video_id, std::string_view token) {
  const Reply reply = FeedPage(Client(), token);
  const rapidjson::Value* video = FindById(reply, "video_list", video_id);
  if (video == nullptr) {
    ADD_FAILURE() << "video " << video_id << " is not in the feed: " << reply.Describe();
    return {};
  }
  return ReadVideoCounts(*video);
}

std::string InteractionTest::Snapshot(const std::vector<std::int64_t>& users,
                                      const std::vector<std::int64_t>& videos) {
  std::ostringstream out;
  HttpClient& client = Client();
  for (const std::int64_t user : users) {
    out << "user " << user << ": " << UserCountsOf(user) << '\n';
    const auto list = [&](std::string_view which, std::string_view key) {
      return AllIds(
          [&](const Page& page) {
            return which == "favorite" ? FavoriteList(client, user, {}, page)
                                       : RelationList(client, which, user, {}, page);
          },
          key, 100);
    };
    out << "  favorites " << JoinIds(list("favorite", "video_list")) << '\n';
    out << "  follows " << JoinIds(list("follow", "user_list")) << '\n';
    out << "  followers " << JoinIds(list("follower", "user_list")) << '\n';
  }
  for (const std::int64_t video : videos) {
    out << "video " << video << ": " << VideoCountsOf(video) << '\n';
    const std::vector<std::int64_t> comments =
        AllIds([&](const Page& page) { return CommentList(client, video, {}, page); },
               "comment_list", 100);
    out << "  comments " << JoinIds(comments) << '\n';
  }
  return out.str();
}

}  // namespace reel::e2e
