#include "kit/blob/s3_presign.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace reel::blob {
namespace {

// 2013-05-24T00:00:00Z, the instant of AWS's worked example.
constexpr std::chrono::sys_seconds kExampleTime{std::chrono::seconds(1369353600)};

// The example in AWS's "Authenticating Requests: Using Query Parameters (AWS Signature
// Version 4)": the same inputs must give the signature AWS published.
TEST(S3PresignTest, MatchesAwsDocumentedExample) {
  const S3PresignInput input{"examplebucket.s3.amazonaws.com",
                             "/test.txt",
                             "us-east-1",
                             "AKIAIOSFODNN7EXAMPLE",
                             "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                             kExampleTime,
                             std::chrono::seconds(86400)};
  EXPECT_EQ(PresignGetQuery(input),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(S3PresignTest, SignatureDependsOnEveryInput) {
  const S3PresignInput base{
      "h:9000", "/b/k.mp4", "us-east-1", "AK", "SK", kExampleTime, std::chrono::seconds(60)};
  const std::string reference = PresignGetQuery(base);
  S3PresignInput other = base;
  other.path = "/b/l.mp4";
  EXPECT_NE(PresignGetQuery(other), reference);
  other = base;
  other.host = "h:9001";
  EXPECT_NE(PresignGetQuery(other), reference);
  other = base;
  other.secret_key = "SL";
  EXPECT_NE(PresignGetQuery(other), reference);
  other = base;
  other.expires = std::chrono::seconds(61);
  EXPECT_NE(PresignGetQuery(other), reference);
}

TEST(S3PresignTest, UriEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(S3UriEncode("a-Z_0.~"), "a-Z_0.~");
  EXPECT_EQ(S3UriEncode("a b/c+=&"), "a%20b%2Fc%2B%3D%26");
  EXPECT_EQ(S3UriEncode("a b/c", true), "a%20b/c");
}

}  // namespace
}  // namespace reel::blob
