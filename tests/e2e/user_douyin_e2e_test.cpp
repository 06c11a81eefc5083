// Douyin user API end to end: register, login and user info as the official client and peer
// test suites call them.
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

#include "harness.hpp"

namespace reel::e2e {
namespace {

constexpr std::string_view kRegister = "/douyin/user/register/";
constexpr std::string_view kLogin = "/douyin/user/login/";
constexpr std::string_view kUserInfo = "/douyin/user/";

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

Pairs Credentials(std::string_view name, std::string_view password) {
  return {{"username", std::string(name)}, {"password", std::string(password)}};
}

// Every register/login answer has the same four fields, success or not; on failure the id is
// 0 and the token empty so clients cannot mistake it for a session.
void ExpectAuthAnswer(const HttpResponse& response, std::int64_t expected_code) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type"), "application/json; charset=utf-8");
  const rapidjson::Document doc = response.Json();
  EXPECT_EQ(JsonInt(doc, "status_code"), expected_code);
  EXPECT_TRUE(JsonString(doc, "status_msg").has_value());
  const std::optional<std::int64_t> user_id = JsonInt(doc, "user_id");
  const std::optional<std::string> token = JsonString(doc, "token");
  ASSERT_TRUE(user_id.has_value());
  ASSERT_TRUE(token.has_value());
  if (expected_code == 0) {
    EXPECT_GT(*user_id, 0);
    EXPECT_LE(*user_id, kMaxSafeId);
    EXPECT_FALSE(token->empty());
  } else {
    EXPECT_EQ(*user_id, 0);
    EXPECT_EQ(*token, "");
    EXPECT_FALSE(JsonString(doc, "status_msg").value_or("").empty());
  }
}

// A refused info request names the problem and carries no user object.
void ExpectInfoRefused(const HttpResponse& response, std::int64_t expected_code) {
  SCOPED_TRACE(response.Describe());
  EXPECT_EQ(response.status, 200);
  const rapidjson::Document doc = response.Json();
  EXPECT_EQ(JsonInt(doc, "status_code"), expected_code);
  EXPECT_FALSE(JsonString(doc, "status_msg").value_or("").empty());
  EXPECT_EQ(JsonAt(doc, "user"), nullptr);
}

class DouyinUserTest : public ServerTest {
 protected:
  HttpResponse Register(std::string_view name, std::string_view password) {
    return Client().PostForm(kRegister, Credentials(name, password));
  }
  HttpResponse Login(std::string_view name, std::string_view password) {
    return Client().PostForm(kLogin, Credentials(name, password));
  }
  HttpResponse Info(const Pairs& query, const Pairs& headers = {}) {
    return Client().Get(WithQuery(kUserInfo, query), headers);
  }
};

TEST_F(DouyinUserTest, RegisterThenLoginGiveTheSameUserAndWorkingTokens) {
  const HttpResponse registered = Register("alice", "secret-1");
  ExpectAuthAnswer(registered, 0);
  const std::int64_t id = JsonInt(registered.Json(), "user_id").value_or(0);

  const HttpResponse logged_in = Login("alice", "secret-1");
  ExpectAuthAnswer(logged_in, 0);
  EXPECT_EQ(JsonInt(logged_in.Json(), "user_id"), id);

  for (const HttpResponse* answer : {&registered, &logged_in}) {
    const std::string token = JsonString(answer->Json(), "token").value_or("");
    const HttpResponse info = Info({{"token", token}});
    EXPECT_EQ(DouyinStatusCode(info), 0) << info.Describe();
    EXPECT_EQ(JsonInt(info.Json(), "user.id"), id);
  }
}

TEST_F(DouyinUserTest, EachUserGetsItsOwnId) {
  const DouyinSession first = RegisterDouyin(Client(), "first", "password");
  const DouyinSession second = RegisterDouyin(Client(), "second", "password");
  EXPECT_GT(first.user_id, 0);
  EXPECT_GT(second.user_id, 0);
  EXPECT_NE(first.user_id, second.user_id);
}

// The official app sends credentials in the query string of a POST, web forms use urlencoded
// or multipart bodies, and some peer clients send JSON: all must work.
enum class Encoding { kQuery, kForm, kMultipart, kJson };

class DouyinEncodingTest : public DouyinUserTest, public ::testing::WithParamInterface<Encoding> {
 protected:
  HttpResponse Send(std::string_view route, const Pairs& fields) {
    switch (GetParam()) {
      case Encoding::kQuery:
        return Client().Request("POST", WithQuery(route, fields));
      case Encoding::kForm:
        return Client().PostForm(route, fields);
      case Encoding::kMultipart:
        return Client().PostMultipart(route, fields);
      case Encoding::kJson:
        return Client().PostJson(route, ToJson(fields));
    }
    return {};
  }
};

TEST_P(DouyinEncodingTest, RegisterAndLoginReadCredentials) {
  const HttpResponse registered = Send(kRegister, Credentials("bob", "hunter22"));
  ExpectAuthAnswer(registered, 0);
  const HttpResponse logged_in = Send(kLogin, Credentials("bob", "hunter22"));
  ExpectAuthAnswer(logged_in, 0);
  EXPECT_EQ(JsonInt(logged_in.Json(), "user_id"), JsonInt(registered.Json(), "user_id"));
  // The password really was read: a wrong one is refused the same way.
  ExpectAuthAnswer(Send(kLogin, Credentials("bob", "hunter23")), 401);
}

std::string EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kQuery:
      return "Query";
    case Encoding::kForm:
      return "Form";
    case Encoding::kMultipart:
      return "Multipart";
    case Encoding::kJson:
      return "Json";
  }
  return "Unknown";
}

void PrintTo(Encoding encoding, std::ostream* out) {
  *out << EncodingName(encoding);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, DouyinEncodingTest,
                         ::testing::Values(Encoding::kQuery, Encoding::kForm, Encoding::kMultipart,
                                           Encoding::kJson),
                         [](const ::testing::TestParamInfo<Encoding>& param_info) {
                           return EncodingName(param_info.param);
                         });

TEST_F(DouyinUserTest, RoutesAnswerWithAndWithoutTrailingSlashWithoutRedirect) {
  const HttpResponse registered =
      Client().PostForm("/douyin/user/register", Credentials("carol", "password"));
  ExpectAuthAnswer(registered, 0);
  const std::int64_t id = JsonInt(registered.Json(), "user_id").value_or(0);
  ExpectAuthAnswer(Client().PostForm("/douyin/user/login", Credentials("carol", "password")), 0);
  for (const std::string_view route : {"/douyin/user", "/douyin/user/"}) {
    const HttpResponse info = Client().Get(WithQuery(route, {{"user_id", std::to_string(id)}}));
    EXPECT_EQ(info.status, 200) << route << ": " << info.Describe();
    EXPECT_EQ(info.Header("location"), "") << route;
    EXPECT_EQ(JsonInt(info.Json(), "user.id"), id) << route;
  }
}

TEST_F(DouyinUserTest, DuplicateUsernameIsRefusedIgnoringCaseAndChangesNothing) {
  const DouyinSession original = RegisterDouyin(Client(), "Dana", "original-pw");
  ASSERT_GT(original.user_id, 0);
  ExpectAuthAnswer(Register("Dana", "another-pw"), 409);
  ExpectAuthAnswer(Register("dana", "third-pw"), 409);
  ExpectAuthAnswer(Register("DANA", "original-pw"), 409);

  const HttpResponse login = Login("Dana", "original-pw");
  ExpectAuthAnswer(login, 0);
  EXPECT_EQ(JsonInt(login.Json(), "user_id"), original.user_id);
  ExpectAuthAnswer(Login("Dana", "another-pw"), 401);
}

TEST_F(DouyinUserTest, UsernameLengthIsCountedInCodePoints) {
  ExpectAuthAnswer(Register("e", "password"), 0);
  ExpectAuthAnswer(Register(Repeat("e", 32), "password"), 0);
  ExpectAuthAnswer(Register(Repeat("f", 33), "password"), 400);
  ExpectAuthAnswer(Register("", "password"), 400);

  // 32 Chinese characters are 96 bytes of UTF-8 and still a valid name.
  const std::string chinese = Repeat("抖", 31) + "音";
  const HttpResponse registered = Register(chinese, "password");
  ExpectAuthAnswer(registered, 0);
  const std::int64_t id = JsonInt(registered.Json(), "user_id").value_or(0);
  const HttpResponse info = Info({{"user_id", std::to_string(id)}});
  EXPECT_EQ(JsonString(info.Json(), "user.name"), chinese) << info.Describe();
  ExpectAuthAnswer(Register(Repeat("音", 33), "password"), 400);
}

TEST_F(DouyinUserTest, PasswordLengthIsCheckedAndARefusalLeavesTheNameFree) {
  ExpectAuthAnswer(Register("erin", "12345"), 400);
  ExpectAuthAnswer(Register("erin", Repeat("p", 33)), 400);
  ExpectAuthAnswer(Register("erin", "123456"), 0);
  ExpectAuthAnswer(Login("erin", "123456"), 0);
  ExpectAuthAnswer(Register("frank", Repeat("p", 32)), 0);
  ExpectAuthAnswer(Login("frank", Repeat("p", 32)), 0);
}

TEST_F(DouyinUserTest, MissingCredentialsAreInvalidInput) {
  for (const std::string_view route : {kRegister, kLogin}) {
    SCOPED_TRACE(route);
    ExpectAuthAnswer(Client().PostForm(route, {{"username", "gina"}}), 400);
    ExpectAuthAnswer(Client().PostForm(route, {{"password", "password"}}), 400);
    ExpectAuthAnswer(Client().Request("POST", route), 400);
  }
  // Nothing was created by the attempts above.
  ExpectAuthAnswer(Register("gina", "password"), 0);
}

TEST_F(DouyinUserTest, LoginFailuresDoNotRevealWhetherTheUserExists) {
  ASSERT_GT(RegisterDouyin(Client(), "hank", "right-password").user_id, 0);
  const HttpResponse wrong_password = Login("hank", "wrong-password");
  const HttpResponse unknown_user = Login("nobody", "right-password");
  ExpectAuthAnswer(wrong_password, 401);
  ExpectAuthAnswer(unknown_user, 401);
  EXPECT_EQ(JsonString(wrong_password.Json(), "status_msg"),
            JsonString(unknown_user.Json(), "status_msg"));
}

TEST_F(DouyinUserTest, UserInfoHasEveryFieldWithItsJsonType) {
  const DouyinSession session = RegisterDouyin(Client(), "ivy", "password");
  ASSERT_GT(session.user_id, 0);
  const HttpResponse info =
      Info({{"user_id", std::to_string(session.user_id)}, {"token", session.token}});
  SCOPED_TRACE(info.Describe());
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(info.Header("content-type"), "application/json; charset=utf-8");
  const rapidjson::Document doc = info.Json();
  EXPECT_EQ(JsonInt(doc, "status_code"), 0);
  EXPECT_TRUE(JsonString(doc, "status_msg").has_value());
  EXPECT_EQ(JsonInt(doc, "user.id"), session.user_id);
  EXPECT_EQ(JsonString(doc, "user.name"), "ivy");
  for (const char* count :
       {"follow_count", "follower_count", "total_favorited", "work_count", "favorite_count"}) {
    EXPECT_EQ(JsonInt(doc, std::string("user.") + count), 0) << count;
  }
  EXPECT_EQ(JsonBool(doc, "user.is_follow"), false);
  for (const char* text : {"avatar", "background_image", "signature"}) {
    EXPECT_TRUE(JsonString(doc, std::string("user.") + text).has_value()) << text;
  }
}

TEST_F(DouyinUserTest, TokenIsReadFromQueryTokenHeaderAndBearer) {
  const DouyinSession session = RegisterDouyin(Client(), "jack", "password");
  ASSERT_GT(session.user_id, 0);
  const HttpResponse answers[] = {
      Info({{"token", session.token}}),
      Info({}, {{"token", session.token}}),
      Info({}, {{"Authorization", "Bearer " + session.token}}),
  };
  for (const HttpResponse& info : answers) {
    EXPECT_EQ(DouyinStatusCode(info), 0) << info.Describe();
    EXPECT_EQ(JsonInt(info.Json(), "user.id"), session.user_id) << info.Describe();
  }
}

TEST_F(DouyinUserTest, AnyUserCanBeLookedUpWithOrWithoutAToken) {
  const DouyinSession kate = RegisterDouyin(Client(), "kate", "password");
  const DouyinSession liam = RegisterDouyin(Client(), "liam", "password");
  ASSERT_GT(liam.user_id, 0);
  const HttpResponse anonymous = Info({{"user_id", std::to_string(liam.user_id)}});
  EXPECT_EQ(DouyinStatusCode(anonymous), 0) << anonymous.Describe();
  EXPECT_EQ(JsonString(anonymous.Json(), "user.name"), "liam");
  const HttpResponse as_kate =
      Info({{"user_id", std::to_string(liam.user_id)}, {"token", kate.token}});
  EXPECT_EQ(DouyinStatusCode(as_kate), 0) << as_kate.Describe();
  EXPECT_EQ(JsonInt(as_kate.Json(), "user.id"), liam.user_id);
}

TEST_F(DouyinUserTest, NoTokenAndNoUserIdIsAnAuthFailure) {
  ExpectInfoRefused(Info({}), 401);
}

TEST_F(DouyinUserTest, UnknownUserIsNotFound) {
  const DouyinSession session = RegisterDouyin(Client(), "mia", "password");
  ExpectInfoRefused(Info({{"user_id", std::to_string(session.user_id + 1000)}}), 404);
}

TEST_F(DouyinUserTest, BadTokenIsRefusedEvenWhenUserIdIsGiven) {
  const DouyinSession session = RegisterDouyin(Client(), "noah", "password");
  ASSERT_FALSE(session.token.empty());
  // Change a character in the middle of the signature: the last one may only carry padding
  // bits, so changing it could leave the decoded signature intact.
  std::string tampered = session.token;
  const std::size_t index = tampered.rfind('.') + 5;
  ASSERT_LT(index, tampered.size());
  tampered[index] = tampered[index] == 'A' ? 'B' : 'A';
  for (const std::string& token : {std::string("garbage"), std::string("a.b.c"), tampered}) {
    SCOPED_TRACE(token);
    ExpectInfoRefused(Info({{"user_id", std::to_string(session.user_id)}, {"token", token}}), 401);
  }
}

TEST_F(DouyinUserTest, IntegerParamsAcceptTheExponentForm) {
  const DouyinSession session = RegisterDouyin(Client(), "olga", "password");
  ASSERT_GT(session.user_id, 0);
  // Some clients serialise every number as a double, e.g. 1.680703713e+09.
  char exponent_form[64];
  std::snprintf(exponent_form, sizeof exponent_form, "%.15e", static_cast<double>(session.user_id));
  const HttpResponse info = Info({{"user_id", exponent_form}});
  EXPECT_EQ(DouyinStatusCode(info), 0) << exponent_form << ": " << info.Describe();
  EXPECT_EQ(JsonInt(info.Json(), "user.id"), session.user_id);
  // A well-formed id of a user that does not exist is "not found", not "invalid".
  ExpectInfoRefused(Info({{"user_id", "1.680703713e+09"}}), 404);
  ExpectInfoRefused(Info({{"user_id", std::to_string(kMaxSafeId)}}), 404);
}

class DouyinBadUserIdTest : public DouyinUserTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(DouyinBadUserIdTest, IsInvalidInput) {
  ASSERT_GT(RegisterDouyin(Client(), "pete", "password").user_id, 0);
  ExpectInfoRefused(Info({{"user_id", GetParam()}}), 400);
}

// 2^53 and above cannot be told apart from their neighbours once parsed as doubles.
INSTANTIATE_TEST_SUITE_P(Junk, DouyinBadUserIdTest,
                         ::testing::Values("abc", "1.5", "-1", "12abc", "9007199254740992", "1e+20",
                                           "1.5e+00"));

}  // namespace
}  // namespace reel::e2e
