// Helpers for the interaction end-to-end tests (favorites, comments, relations, messages):
// one call per Douyin route returning the parsed reply, readers for the counters the server
// shows on user and video objects, and a fixture that publishes videos and snapshots state so
// a test can check that a refusal changed nothing.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "media_fixtures.hpp"

namespace reel::e2e {

/// A Douyin answer and its body parsed once.
struct Reply {
  HttpResponse response{};
  rapidjson::Document json{};

  std::optional<std::int64_t> StatusCode() const { return JsonInt(json, "status_code"); }
  /// status_msg, "" when absent.
  std::string Message() const;
  std::string Describe() const { return response.Describe(); }
};

/// HTTP 200 and status_code 0.
::testing::AssertionResult IsOk(const Reply& reply);
/// HTTP 200, status_code 0 and exactly `message` as status_msg (the "already liked" kind).
::testing::AssertionResult IsNoop(const Reply& reply, std::string_view message);
/// HTTP 200, status_code `code`, and a status_msg that says something other than "ok".
::testing::AssertionResult IsRefused(const Reply& reply, std::int64_t code);

/// Beyond-spec paging of the list routes; unset fields are not sent.
struct Page {
  std::optional<std::int64_t> cursor{};
  std::optional<std::int64_t> limit{};
};

// ---- Actions (usable from any thread, each with its own client) ------------------------------

/// POST /douyin/favorite/action/ with the given form fields as they are.
Reply FavoriteAction(HttpClient& client, const Pairs& fields);
Reply Like(HttpClient& client, const DouyinSession& who, std::int64_t video_id);
Reply Unlike(HttpClient& client, const DouyinSession& who, std::int64_t video_id);

/// POST /douyin/comment/action/ with the given form fields as they are.
Reply CommentAction(HttpClient& client, const Pairs& fields);
Reply PostComment(HttpClient& client, const DouyinSession& who, std::int64_t video_id,
                  std::string_view text);
Reply DeleteComment(HttpClient& client, const DouyinSession& who, std::int64_t video_id,
                    std::int64_t comment_id);

/// POST /douyin/relation/action/ with the given form fields as they are.
Reply RelationAction(HttpClient& client, const Pairs& fields);
Reply Follow(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id);
Reply Unfollow(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id);

/// POST /douyin/message/action/ with the given form fields as they are.
Reply MessageAction(HttpClient& client, const Pairs& fields);
Reply SendMessage(HttpClient& client, const DouyinSession& who, std::int64_t to_user_id,
                  std::string_view content);

// ---- Reads (an empty token sends none) -------------------------------------------------------

/// GET /douyin/message/chat/; pre_msg_time is sent only when set.
Reply Chat(HttpClient& client, std::string_view token, std::int64_t to_user_id,
           std::optional<std::int64_t> pre_msg_time = std::nullopt);
/// GET /douyin/favorite/list/; user_id is sent only when set.
Reply FavoriteList(HttpClient& client, std::optional<std::int64_t> user_id, std::string_view token,
                   const Page& page = {});
Reply CommentList(HttpClient& client, std::int64_t video_id, std::string_view token,
                  const Page& page = {});
/// Which relation list: "follow", "follower" or "friend".
Reply RelationList(HttpClient& client, std::string_view which, std::int64_t user_id,
                   std::string_view token, const Page& page = {});
Reply UserInfo(HttpClient& client, std::int64_t user_id, std::string_view token = {});
Reply FeedPage(HttpClient& client, std::string_view token = {});

// ---- Reading replies -------------------------------------------------------------------------

/// The array at `key` ("video_list", ...); nullptr (and a failure) when the reply is refused
/// or the key is not an array. A null list counts as empty and is returned as nullptr with no
/// failure, so callers treat nullptr as "no items".
const rapidjson::Value* ListIn(const Reply& reply, std::string_view key);
/// `id` of each item of the array at `key`, in order.
std::vector<std::int64_t> IdsIn(const Reply& reply, std::string_view key);
/// The item of the array at `key` whose `id` is `id`, or nullptr.
const rapidjson::Value* FindById(const Reply& reply, std::string_view key, std::int64_t id);
/// `next_cursor`, nullopt when absent or not an integer.
std::optional<std::int64_t> NextCursor(const Reply& reply);

/// Follows next_cursor from the start until it is 0, at most `max_pages` pages, and returns the
/// ids of every item at `key` in order. Fails when a page is refused, lacks next_cursor, or
/// the walk does not end.
std::vector<std::int64_t> AllIds(const std::function<Reply(const Page&)>& fetch,
                                 std::string_view key, std::int64_t limit, int max_pages = 20);

/// The counters of a Douyin user object; a field is nullopt when missing or of the wrong type.
struct UserCounts {
  std::optional<std::int64_t> follow_count{};
  std::optional<std::int64_t> follower_count{};
  std::optional<std::int64_t> favorite_count{};
  std::optional<std::int64_t> total_favorited{};
  std::optional<std::int64_t> work_count{};
  std::optional<bool> is_follow{};
  bool operator==(const UserCounts&) const = default;
};
UserCounts ReadUserCounts(const rapidjson::Value& user);
std::ostream& operator<<(std::ostream& out, const UserCounts& counts);

/// The counters of a Douyin video object.
struct VideoCounts {
  std::optional<std::int64_t> favorite_count{};
  std::optional<std::int64_t> comment_count{};
  std::optional<bool> is_favorite{};
  bool operator==(const VideoCounts&) const = default;
};
VideoCounts ReadVideoCounts(const rapidjson::Value& video);
std::ostream& operator<<(std::ostream& out, const VideoCounts& counts);

/// Checks that `user` is a full Douyin user object with id `id` (a null pointer fails).
void ExpectUserObject(const rapidjson::Value* user, std::int64_t id);

/// Today's UTC date as "mm-dd".
std::string UtcMonthDay();

/// A fresh server per test with rate limiting off (the tests send requests far faster than a
/// person would; the limiter has its own tests), plus publishing and state snapshots.
class InteractionTest : public MediaServerTest {
 protected:
  ServerOptions Options() const override;

  /// Registers `name` with a fixed password; fails the test when refused.
  DouyinSession NewUser(std::string_view name);
  /// Publishes the small clip as `author` with `title` and returns the new video's id, read
  /// from the author's publish list; 0 (and a failure) when that does not work.
  std::int64_t PublishVideo(const DouyinSession& author, const std::string& title);

  /// /douyin/user/ counters of `user_id` as seen with `token`.
  UserCounts UserCountsOf(std::int64_t user_id, std::string_view token = {});
  /// Counters of `video_id` in a fresh feed request with `token`; all nullopt (and a failure)
  /// when the video is not in the feed.
  VideoCounts VideoCountsOf(std::int64_t video_id, std::string_view token = {});

  /// Everything a refusal must leave alone, as text: the counters of each user and video
  /// (anonymous view), each user's favorite, follow and follower lists, and each video's
  /// comment ids. Compare two snapshots with EXPECT_EQ to see the difference.
  std::string Snapshot(const std::vector<std::int64_t>& users,
                       const std::vector<std::int64_t>& videos);
};

}  // namespace reel::e2e
