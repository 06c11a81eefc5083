// Matrix cases for likes, comments, follows, friends and messages.
#include <gtest/gtest.h>

#include "authz_cases.hpp"

namespace reel::security {
namespace {

using e2e::HttpResponse;
using e2e::JsonInt;
using e2e::JsonString;

constexpr std::string_view kCommentText = "said by the caller";
constexpr std::string_view kMessageText = "sent by the caller";

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

std::vector<std::int64_t> LikesOf(AuthzWorld& w, std::int64_t user_id) {
  return IdsAt(
      ApiOk(w.ApiGet("/api/favorite/videos", {{"user_id", Id(user_id)}, {"limit", "100"}}, "")),
      "videos");
}

std::vector<std::int64_t> FollowsOf(AuthzWorld& w, std::int64_t user_id) {
  return IdsAt(
      ApiOk(w.ApiGet("/api/relation/list",
                     {{"user_id", Id(user_id)}, {"type", "follow"}, {"limit", "100"}}, "")),
      "users");
}

std::vector<std::int64_t> CommentsOn(AuthzWorld& w, std::int64_t video) {
  return IdsAt(ApiOk(w.ApiGet("/api/comment/get", {{"video_id", Id(video)}, {"limit", "100"}}, "")),
               "comments");
}

// The chat of `token`'s user with `peer`, through /api.
HttpResponse ChatWith(AuthzWorld& w, std::int64_t peer, const std::string& token) {
  return w.ApiGet("/api/message/chat", {{"to_user_id", Id(peer)}, {"limit", "100"}}, token);
}

std::vector<AuthzCase> FavoriteCases() {
  return {
      {.area = Area::kInteraction,
       .route = {"POST", "/douyin/favorite/action"},
       .writes = true,
       .other_changes_world = true,  // bob's video gains a like
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/favorite/action",
                             {{"video_id", Id(w.bob_video)}, {"action_type", "1"}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Contains(LikesOf(w, w.alice.user_id), w.bob_video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Contains(LikesOf(w, w.mallory.user_id), w.bob_video));
             EXPECT_FALSE(Contains(LikesOf(w, w.alice.user_id), w.bob_video));
           }},
      {.area = Area::kInteraction,
       .route = {"GET", "/douyin/favorite/list"},
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.Douyin("GET", "/douyin/favorite/list", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(DouyinOk(r), "video_list"), w.video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_FALSE(Contains(IdsAt(DouyinOk(r), "video_list"), w.video));
           }},
      {.area = Area::kInteraction,
       .route = {"POST", "/api/favorite/action"},
       .writes = true,
       .other_changes_world = true,  // the video gains a like
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/favorite/action",
                          R"({"video_id":)" + Id(w.doomed_video) + R"(,"action":"like"})", t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_favorite"), true);
             EXPECT_TRUE(Contains(LikesOf(w, w.alice.user_id), w.doomed_video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_favorite"), true);
             EXPECT_FALSE(Contains(LikesOf(w, w.alice.user_id), w.doomed_video));
           }},
      {.area = Area::kInteraction,
       .route = {"GET", "/api/favorite/videos"},
       .send = [](AuthzWorld& w,
                  const std::string& t) { return w.ApiGet("/api/favorite/videos", {}, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_FALSE(Contains(IdsAt(ApiOk(r), "videos"), w.video));
           }},
  };
}

// A comment on alice's video through `path` (create and its alias creat): each caller's
// comment is their own.
AuthzCase CommentCreateCase(std::string path) {
  return {.area = Area::kInteraction,
          .route = {"POST", path},
          .writes = true,
          .other_changes_world = true,  // the video gains a comment
          .send =
              [path](AuthzWorld& w, const std::string& t) {
                return w.Api("POST", path,
                             R"({"video_id":)" + Id(w.video) + R"(,"content":")" +
                                 std::string(kCommentText) + "\"}",
                             t);
              },
          .owner =
              [](AuthzWorld& w, const HttpResponse& r) {
                EXPECT_EQ(JsonInt(ApiOk(r), "comment.user.id"), w.alice.user_id);
              },
          .other =
              [](AuthzWorld& w, const HttpResponse& r) {
                EXPECT_EQ(JsonInt(ApiOk(r), "comment.user.id"), w.mallory.user_id);
              }};
}

std::vector<AuthzCase> CommentCases() {
  return {
      {.area = Area::kInteraction,
       .route = {"POST", "/douyin/comment/action"},
       .variant = "action_type=1 (comment)",
       .writes = true,
       .other_changes_world = true,  // the video gains a comment
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/comment/action",
                             {{"video_id", Id(w.video)},
                              {"action_type", "1"},
                              {"comment_text", std::string(kCommentText)}},
                             t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "comment.user.id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "comment.user.id"), w.mallory.user_id);
           }},
      {.area = Area::kInteraction,
       .route = {"POST", "/douyin/comment/action"},
       .variant = "action_type=2 (delete)",
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/comment/action",
                             {{"video_id", Id(w.video)},
                              {"action_type", "2"},
                              {"comment_id", Id(w.doomed_douyin_comment)}},
                             t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_FALSE(Contains(CommentsOn(w, w.video), w.doomed_douyin_comment));
           },
       .other = [](AuthzWorld&, const HttpResponse& r) { DouyinRefused(r, 403); }},
      {.area = Area::kInteraction,
       .route = {"GET", "/douyin/comment/list"},
       .anonymous_ok = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("GET", "/douyin/comment/list", {{"video_id", Id(w.video)}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(DouyinOk(r), "comment_list"), w.comment));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(DouyinOk(r), "comment_list"), w.comment));
           },
       .anonymous =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(DouyinOk(r), "comment_list"), w.comment));
           }},
      CommentCreateCase("/api/comment/create"),
      {.area = Area::kInteraction,
       .route = {"DELETE", "/api/comment/{id}"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("DELETE", "/api/comment/" + Id(w.doomed_api_comment), {}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "deleted"), true);
             EXPECT_FALSE(Contains(CommentsOn(w, w.video), w.doomed_api_comment));
           },
       .other = [](AuthzWorld&,
                   const HttpResponse& r) { ApiRefused(r, 403, "COMMENT_NOT_YOURS"); }},
      {.area = Area::kInteraction,
       .route = {"GET", "/api/comment/get"},
       .anonymous_ok = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/comment/get", {{"video_id", Id(w.video)}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "comments"), w.comment));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "comments"), w.comment));
           },
       .anonymous =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_TRUE(Contains(IdsAt(ApiOk(r), "comments"), w.comment));
           }},
      // Issue 16: replies, and the seed brief's spelling of create.
      CommentCreateCase("/api/comment/creat"),
      {.area = Area::kInteraction,
       .route = {"POST", "/api/comment/create"},
       .variant = "parent_id (reply)",
       .writes = true,
       .other_changes_world = true,  // alice's comment gains a reply
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/comment/create",
                          R"({"video_id":)" + Id(w.video) + R"(,"parent_id":)" + Id(w.comment) +
                              R"(,"content":")" + std::string(kCommentText) + "\"}",
                          t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             const rapidjson::Document body = ApiOk(r);
             EXPECT_EQ(JsonInt(body, "comment.user.id"), w.alice.user_id);
             EXPECT_EQ(JsonInt(body, "comment.parent_id"), w.comment);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             const rapidjson::Document body = ApiOk(r);
             EXPECT_EQ(JsonInt(body, "comment.user.id"), w.mallory.user_id);
             EXPECT_EQ(JsonInt(body, "comment.reply_to_user.id"), w.alice.user_id);
           }},
      {.area = Area::kInteraction,
       .route = {"POST", "/douyin/comment/action"},
       .variant = "action_type=1 with parent_id (reply)",
       .writes = true,
       .other_changes_world = true,  // alice's comment gains a reply
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/comment/action",
                             {{"video_id", Id(w.video)},
                              {"action_type", "1"},
                              {"parent_id", Id(w.comment)},
                              {"comment_text", std::string(kCommentText)}},
                             t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "comment.user.id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(DouyinOk(r), "comment.user.id"), w.mallory.user_id);
           }},
      {.area = Area::kInteraction,
       .route = {"GET", "/api/comment/replies"},
       .anonymous_ok = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/comment/replies", {{"comment_id", Id(w.comment)}}, t);
           },
       .owner = [](AuthzWorld&, const HttpResponse& r) { IdsAt(ApiOk(r), "replies"); },
       .other = [](AuthzWorld&, const HttpResponse& r) { IdsAt(ApiOk(r), "replies"); },
       .anonymous = [](AuthzWorld&, const HttpResponse& r) { IdsAt(ApiOk(r), "replies"); }},
  };
}

// The messages between alice and bob, which only the two of them may read.
void NoMessagesOfAlice(AuthzWorld& w, const HttpResponse& r) {
  Lacks(r, w.secret);
  Lacks(r, w.bob_to_alice);
}

// alice's friend list shows her latest message with each friend to her alone.
void DouyinFriendsWithoutMessages(AuthzWorld& w, const HttpResponse& r) {
  const rapidjson::Document body = DouyinOk(r);
  EXPECT_TRUE(Contains(IdsAt(body, "user_list"), w.bob.user_id)) << r.Describe();
  if (const rapidjson::Value* list = e2e::JsonAt(body, "user_list"); list && list->IsArray()) {
    for (const auto& friend_json : list->GetArray()) {
      EXPECT_EQ(JsonString(friend_json, "message").value_or(""), "") << r.Describe();
    }
  }
  NoMessagesOfAlice(w, r);
}

void ApiFriendsWithoutMessages(AuthzWorld& w, const HttpResponse& r) {
  const rapidjson::Document body = ApiOk(r);
  EXPECT_TRUE(Contains(IdsAt(body, "users"), w.bob.user_id)) << r.Describe();
  if (const rapidjson::Value* list = e2e::JsonAt(body, "users"); list && list->IsArray()) {
    for (const auto& friend_json : list->GetArray()) {
      const rapidjson::Value* message = e2e::JsonAt(friend_json, "last_message");
      EXPECT_TRUE(message == nullptr || message->IsNull()) << r.Describe();
    }
  }
  NoMessagesOfAlice(w, r);
}

std::vector<AuthzCase> RelationCases() {
  const auto caller_list = [](std::string path, bool owner_has_bob) {
    return AuthzCase{.area = Area::kSocial,
                     .route = {"GET", path},
                     .send = [path](AuthzWorld& w,
                                    const std::string& t) { return w.Douyin("GET", path, {}, t); },
                     .owner =
                         [owner_has_bob](AuthzWorld& w, const HttpResponse& r) {
                           EXPECT_EQ(Contains(IdsAt(DouyinOk(r), "user_list"), w.bob.user_id),
                                     owner_has_bob);
                         },
                     .other =
                         [](AuthzWorld& w, const HttpResponse& r) {
                           EXPECT_FALSE(Contains(IdsAt(DouyinOk(r), "user_list"), w.bob.user_id));
                         }};
  };
  return {
      {.area = Area::kSocial,
       .route = {"POST", "/douyin/relation/action"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/relation/action",
                             {{"to_user_id", Id(w.carol.user_id)}, {"action_type", "1"}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Contains(FollowsOf(w, w.alice.user_id), w.carol.user_id));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_TRUE(Contains(FollowsOf(w, w.mallory.user_id), w.carol.user_id));
           }},
      caller_list("/douyin/relation/follow/list", true),
      caller_list("/douyin/relation/follower/list", true),
      {.area = Area::kSocial,
       .route = {"GET", "/douyin/relation/friend/list"},
       .variant = "user_id=alice",
       .anonymous_ok = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("GET", "/douyin/relation/friend/list",
                             {{"user_id", Id(w.alice.user_id)}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             const rapidjson::Document body = DouyinOk(r);
             EXPECT_TRUE(Contains(IdsAt(body, "user_list"), w.bob.user_id));
             EXPECT_FALSE(JsonString(body, "user_list.0.message").value_or("").empty())
                 << r.Describe();
           },
       .other = DouyinFriendsWithoutMessages,
       .anonymous = DouyinFriendsWithoutMessages},
      {.area = Area::kSocial,
       .route = {"POST", "/api/relation/control"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/relation/control",
                          R"({"to_user_id":)" + Id(w.carol.user_id) + R"(,"action":"follow"})", t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_follow"), true);
             EXPECT_TRUE(Contains(FollowsOf(w, w.alice.user_id), w.carol.user_id));
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_follow"), true);
             EXPECT_TRUE(Contains(FollowsOf(w, w.mallory.user_id), w.carol.user_id));
           }},
      {.area = Area::kSocial,
       .route = {"GET", "/api/relation/list"},
       .variant = "type=friend&user_id=alice",
       .anonymous_ok = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/relation/list",
                             {{"type", "friend"}, {"user_id", Id(w.alice.user_id)}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             const rapidjson::Document body = ApiOk(r);
             EXPECT_TRUE(Contains(IdsAt(body, "users"), w.bob.user_id));
             EXPECT_TRUE(JsonString(body, "users.0.last_message.content")) << r.Describe();
           },
       .other = ApiFriendsWithoutMessages,
       .anonymous = ApiFriendsWithoutMessages},
  };
}

std::vector<AuthzCase> MessageCases() {
  // mallory asks for her chats with bob and with alice: neither holds alice and bob's
  // messages.
  const auto no_chat_of_alice = [](AuthzWorld& w, const HttpResponse& r) {
    NoMessagesOfAlice(w, r);
    NoMessagesOfAlice(w, ChatWith(w, w.alice.user_id, w.mallory.access_token));
  };
  return {
      {.area = Area::kSocial,
       .route = {"POST", "/douyin/message/action"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("POST", "/douyin/message/action",
                             {{"to_user_id", Id(w.bob.user_id)},
                              {"action_type", "1"},
                              {"content", std::string(kMessageText)}},
                             t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_NE(ChatWith(w, w.bob.user_id, w.alice.access_token).body.find(kMessageText),
                       std::string::npos);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_NE(ChatWith(w, w.bob.user_id, w.mallory.access_token).body.find(kMessageText),
                       std::string::npos);
           }},
      {.area = Area::kSocial,
       .route = {"GET", "/douyin/message/chat"},
       .variant = "to_user_id=bob",
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Douyin("GET", "/douyin/message/chat", {{"to_user_id", Id(w.bob.user_id)}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             DouyinOk(r);
             EXPECT_NE(r.body.find(w.secret), std::string::npos) << r.Describe();
           },
       .other = no_chat_of_alice},
      {.area = Area::kSocial,
       .route = {"POST", "/api/message/send"},
       .writes = true,
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/message/send",
                          R"({"to_user_id":)" + Id(w.bob.user_id) + R"(,"content":")" +
                              std::string(kMessageText) + "\"}",
                          t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "message.from_user_id"), w.alice.user_id);
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(JsonInt(ApiOk(r), "message.from_user_id"), w.mallory.user_id);
           }},
      {.area = Area::kSocial,
       .route = {"GET", "/api/message/chat"},
       .variant = "to_user_id=bob",
       .send = [](AuthzWorld& w, const std::string& t) { return ChatWith(w, w.bob.user_id, t); },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             ApiOk(r);
             EXPECT_NE(r.body.find(w.secret), std::string::npos) << r.Describe();
           },
       .other = no_chat_of_alice},
  };
}

// Issue 16: blocks. They run last in the area: alice blocking carol ends alice's follow of
// carol, which no later case may rely on.
std::vector<AuthzCase> BlockCases() {
  const auto blocked_of = [](AuthzWorld& w, const std::string& token) {
    return IdsAt(ApiOk(w.ApiGet("/api/relation/blocked", {{"limit", "100"}}, token)), "users");
  };
  return {
      {.area = Area::kSocial,
       .route = {"POST", "/api/relation/block"},
       .writes = true,
       .other_changes_world = true,  // mallory's block ends her follow: carol's count drops
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.Api("POST", "/api/relation/block",
                          R"({"to_user_id":)" + Id(w.carol.user_id) + R"(,"action":"block"})", t);
           },
       .owner =
           [blocked_of](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_blocked"), true);
             EXPECT_TRUE(Contains(blocked_of(w, w.alice.access_token), w.carol.user_id));
           },
       .other =
           [blocked_of](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(e2e::JsonBool(ApiOk(r), "is_blocked"), true);
             // mallory's own list, not alice's.
             EXPECT_TRUE(Contains(blocked_of(w, w.mallory.access_token), w.carol.user_id));
             EXPECT_FALSE(Contains(blocked_of(w, w.alice.access_token), w.carol.user_id));
           }},
      {.area = Area::kSocial,
       .route = {"GET", "/api/relation/blocked"},
       .send =
           [](AuthzWorld& w, const std::string& t) {
             return w.ApiGet("/api/relation/blocked", {{"limit", "100"}}, t);
           },
       .owner =
           [](AuthzWorld& w, const HttpResponse& r) {
             EXPECT_EQ(IdsAt(ApiOk(r), "users"), std::vector<std::int64_t>{w.carol.user_id});
           },
       .other =
           [](AuthzWorld& w, const HttpResponse& r) {
             // Whom one blocked is one's own: mallory gets her list (carol), never alice's.
             EXPECT_EQ(IdsAt(ApiOk(r), "users"), std::vector<std::int64_t>{w.carol.user_id});
           }},
  };
}

}  // namespace

std::vector<AuthzCase> SocialCases() {
  std::vector<AuthzCase> cases = FavoriteCases();
  for (auto* more : {CommentCases, RelationCases, MessageCases, BlockCases}) {
    std::vector<AuthzCase> next = more();
    cases.insert(cases.end(), next.begin(), next.end());
  }
  return cases;
}

}  // namespace reel::security
