#include "kit/http/params.hpp"

#include <gtest/gtest.h>

namespace reel::http {
namespace {

Request Make(std::string query, std::string content_type = "", std::string body = "") {
  Request r;
  r.method = "POST";
  r.path = "/x";
  r.query = std::move(query);
  if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
  r.body = std::move(body);
  return r;
}

TEST(ParseIntegerTest, PlainAndExponentForms) {
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-7"), -7);
  EXPECT_EQ(ParseInteger("1.680703713e+09"), 1680703713);
  EXPECT_EQ(ParseInteger("1e3"), 1000);
  EXPECT_EQ(ParseInteger("12.0"), 12);
  EXPECT_EQ(ParseInteger("9007199254740991"), kMaxSafeInteger);
}

TEST(ParseIntegerTest, RefusesJunkFractionsAndHugeValues) {
  for (const char* bad : {"", "abc", "1.5", "1e400", "nan", "inf", "12abc", " 1", "0x10",
                          "1.680703713e+30", "99999999999999999999"}) {
    EXPECT_FALSE(ParseInteger(bad)) << bad;
  }
}

TEST(ParseIntegerTest, RefusesWhatIsNotADecimalForm) {
  // strtod alone also reads leading white space, a '+', hex floats and bare fractions; found
  // by fuzzing (tests/fuzz/params_fuzz.cpp): " 1" was refused while " 1.0" read as 1.
  for (const char* bad : {" 1.0", "\t2e0", "1.0 ", "+1.0", "0x1p3", "0X1.8P1", ".5e1", "-.5e1",
                          "1.", "1e", "1e+", "--1.0", "1.0e5.0", "1ee5"}) {
    EXPECT_FALSE(ParseInteger(bad)) << bad;
  }
  EXPECT_EQ(ParseInteger("-12.0"), -12);
  EXPECT_EQ(ParseInteger("1E3"), 1000);
  EXPECT_EQ(ParseInteger("12.50e1"), 125);
  EXPECT_EQ(ParseInteger("-0.0e-3"), 0);
}

TEST(UrlDecodeTest, PercentPlusAndBrokenEscapes) {
  EXPECT_EQ(UrlDecode("a+b%20c%E4%B8%AD"), "a b c中");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz"), "%zz");
}

TEST(ParamsTest, QueryString) {
  auto p = Params::From(Make("username=al%20ice&password=secret1&flag"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("username"), "al ice");
  EXPECT_EQ(p->Get("flag"), "");
  EXPECT_FALSE(p->Get("missing"));
}

TEST(ParamsTest, UrlEncodedForm) {
  auto p =
      Params::From(Make("", "application/x-www-form-urlencoded", "username=bob&password=p%26ss"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("password"), "p&ss");
}

TEST(ParamsTest, MultipartFormTextFieldsOnly) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello world\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.mp4\"\r\n"
      "Content-Type: video/mp4\r\n\r\nBINARY\r\n--XyZ--\r\n";
  auto p = Params::From(Make("", "multipart/form-data; boundary=XyZ", body));
  ASSERT_TRUE(p.ok()) << p.status().message;
  EXPECT_EQ(p->Get("title"), "hello world");
  EXPECT_FALSE(p->Get("data"));
}

TEST(ParamsTest, JsonBodyWithNumbersAndStrings) {
  auto p = Params::From(Make("", "application/json",
                             R"({"user_id":1.680703713e+09,"n":5,"name":"x","nested":{"a":1}})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p->RequiredInt("user_id"), 1680703713);
  EXPECT_EQ(*p->RequiredInt("n"), 5);
  EXPECT_EQ(p->Get("name"), "x");
  EXPECT_FALSE(p->Get("nested"));
}

TEST(ParamsTest, JsonShapedBodyWithFormTypeIsJson) {
  auto p = Params::From(Make("", "application/x-www-form-urlencoded", R"({"username":"a"})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("username"), "a");
}

TEST(ParamsTest, MalformedJsonIsAnError) {
  auto p = Params::From(Make("", "application/json", "{nope"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().reason, "PARAM_INVALID");
}

TEST(ParamsTest, DeeplyNestedJsonIsRefusedWithoutExhaustingTheStack) {
  // A body within the 1 MiB limit that nests a million arrays: parsed recursively it
  // overflowed the request thread's 8 MiB stack and took the whole server down (found by
  // fuzzing on a small stack, tests/fuzz/json_fuzz.cpp).
  for (const std::string tail : {"", "]"}) {
    std::string body = R"({"a":)" + std::string(1'000'000, '[');
    if (!tail.empty()) body += std::string(1'000'000, ']') + "}";
    auto p = Params::From(Make("", "application/json", body));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().reason, "PARAM_INVALID");
  }
}

TEST(ParamsTest, JsonNestingIsLimited) {
  // Parameters are the top-level members; nesting beyond kMaxJsonDepth only costs memory.
  const auto nested = [](std::size_t depth) {  // depth counts the top-level object
    return R"({"a":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') +
           R"(,"b":"[{\"]}"})";
  };
  auto ok = Params::From(Make("", "application/json", nested(kMaxJsonDepth)));
  ASSERT_TRUE(ok.ok()) << ok.status().message;
  EXPECT_EQ(ok->Get("b"), "[{\"]}");  // brackets inside strings do not count
  auto deep = Params::From(Make("", "application/json", nested(kMaxJsonDepth + 1)));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().reason, "PARAM_INVALID");
  EXPECT_NE(deep.status().message.find("nested"), std::string::npos);
}

TEST(ParamsTest, QueryWinsOverBody) {
  auto p = Params::From(Make("a=query", "application/x-www-form-urlencoded", "a=body"));
  EXPECT_EQ(p->Get("a"), "query");
}

TEST(ParamsTest, IdValidationNamesTheParameter) {
  auto p = Params::From(Make("zero=0&neg=-1&big=9007199254740992&ok=12&junk=1x"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p->RequiredId("ok"), 12);
  for (const char* name : {"zero", "neg", "big", "junk"}) {
    auto r = p->RequiredId(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().reason, "PARAM_INVALID");
    EXPECT_NE(r.status().message.find(name), std::string::npos);
  }
  EXPECT_EQ(p->RequiredId("absent").status().reason, "PARAM_MISSING");
  EXPECT_FALSE(p->OptionalId("absent")->has_value());
}

TEST(ParamsTest, RequiredSwitchNamesBothWordsWhenRefusing) {
  auto p = Params::From(Make("a=follow&b=unfollow&c=Follow"));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(*p->RequiredSwitch("a", "follow", "unfollow"));
  EXPECT_FALSE(*p->RequiredSwitch("b", "follow", "unfollow"));
  auto bad = p->RequiredSwitch("c", "follow", "unfollow");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason, "PARAM_INVALID");
  EXPECT_EQ(bad.status().message, "parameter 'c' must be \"follow\" or \"unfollow\", got 'Follow'");
  EXPECT_EQ(p->RequiredSwitch("absent", "follow", "unfollow").status().reason, "PARAM_MISSING");
}

using Strings = std::vector<std::string>;

TEST(ParamsStringListTest, JsonArrayOfStrings) {
  auto p = Params::From(Make("", "application/json", R"({"tags":["a"," B ",""],"none":[]})"));
  ASSERT_TRUE(p.ok());
  auto tags = p->OptionalStringList("tags");
  ASSERT_TRUE(tags.ok());
  // Array items are passed on as sent: what makes a good item is the caller's rule.
  EXPECT_EQ(**tags, (Strings{"a", " B ", ""}));
  EXPECT_EQ(**p->OptionalStringList("none"), Strings{});
  EXPECT_FALSE(p->Get("tags"));  // an array is not a plain parameter
  EXPECT_FALSE(p->OptionalStringList("absent")->has_value());
}

TEST(ParamsStringListTest, CommaSeparatedStringAnywhere) {
  auto json = Params::From(Make("", "application/json", R"({"tags":" cats, dogs ,,"})"));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(**json->OptionalStringList("tags"), (Strings{"cats", "dogs"}));
  auto query = Params::From(Make("tags=a%2Cb&blank=%20"));
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(**query->OptionalStringList("tags"), (Strings{"a", "b"}));
  EXPECT_EQ(**query->OptionalStringList("blank"), Strings{});
}

TEST(ParamsStringListTest, ArrayOfOtherValuesIsInvalid) {
  for (const char* body : {R"({"tags":["a",1]})", R"({"tags":[null]})", R"({"tags":[["a"]]})"}) {
    auto p = Params::From(Make("", "application/json", body));
    ASSERT_TRUE(p.ok()) << body;
    auto tags = p->OptionalStringList("tags");
    ASSERT_FALSE(tags.ok()) << body;
    EXPECT_EQ(tags.status().reason, "PARAM_INVALID");
    EXPECT_NE(tags.status().message.find("tags"), std::string::npos);
  }
}

TEST(TokenOfTest, BearerThenHeaderThenParameter) {
  Request r = Make("token=from-query");
  auto p = Params::From(r);
  EXPECT_EQ(TokenOf(r, &*p), "from-query");
  r.headers.emplace_back("token", "from-header");
  EXPECT_EQ(TokenOf(r, &*p), "from-header");
  r.headers.emplace_back("authorization", "Bearer from-bearer");
  EXPECT_EQ(TokenOf(r, &*p), "from-bearer");
}

}  // namespace
}  // namespace reel::http
