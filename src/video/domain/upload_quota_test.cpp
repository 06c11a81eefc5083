// The quota rule on its own: what a user's usage allows, and what the refusals say.
#include "video/domain/upload_quota.hpp"

#include <gtest/gtest.h>

namespace reel::video {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::uint64_t kMiB = 1 << 20;

UploadLimits Limits() {
  return UploadLimits{
      .now_ms = 100'000'000, .pending_ttl = hours(24), .max_pending = 3, .max_bytes = 100 * kMiB};
}

TEST(UploadQuotaTest, WithinEveryLimitPasses) {
  EXPECT_TRUE(CheckUploadQuota({}, 100 * kMiB, Limits()).ok()) << "exactly the quota fits";
  EXPECT_TRUE(
      CheckUploadQuota({.pending_uploads = 2, .stored_bytes = 60 * kMiB}, 40 * kMiB, Limits())
          .ok());
}

TEST(UploadQuotaTest, TheLastPendingPlaceTakenRefusesWithWhenTheOldestExpires) {
  const UploadLimits limits = Limits();
  // The oldest pending upload is 23 h 59 min 30.5 s old: it expires in 29.5 s, so 30 s.
  const std::int64_t oldest = limits.now_ms - (hours(24) - seconds(29) - milliseconds(500)).count();
  const Status s =
      CheckUploadQuota({.pending_uploads = 3, .oldest_pending_ms = oldest}, kMiB, limits);
  EXPECT_EQ(s.code, Code::kResourceExhausted);
  EXPECT_EQ(s.reason, "UPLOADS_PENDING_LIMIT");
  EXPECT_EQ(s.retry_after, seconds(30));
  EXPECT_NE(s.message.find("3 uploads not yet published"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("24 h"), std::string::npos) << s.message;
}

TEST(UploadQuotaTest, OnlyOtherObjectsCountAsPending) {
  // Uploading one of one's three pending objects again: the usage counts the other two.
  EXPECT_TRUE(CheckUploadQuota({.pending_uploads = 2, .holds_object = true}, kMiB, Limits()).ok());
  UploadLimits unlimited = Limits();
  unlimited.max_pending = 0;  // publishing in one step
  EXPECT_TRUE(CheckUploadQuota({.pending_uploads = 50}, kMiB, unlimited).ok());
}

TEST(UploadQuotaTest, BytesOverTheQuotaAreRefusedSayingHowMuch) {
  const Status s = CheckUploadQuota({.stored_bytes = 99 * kMiB}, 2 * kMiB, Limits());
  EXPECT_EQ(s.code, Code::kPayloadTooLarge);
  EXPECT_EQ(s.reason, "STORAGE_QUOTA_EXCEEDED");
  EXPECT_NE(s.message.find("(2 MiB)"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("to 101 MiB, over your quota of 100 MiB"), std::string::npos)
      << s.message;
}

TEST(UploadQuotaTest, AnObjectTheUserHoldsCostsNothing) {
  EXPECT_TRUE(
      CheckUploadQuota({.stored_bytes = 100 * kMiB, .holds_object = true}, 50 * kMiB, Limits())
          .ok());
}

TEST(UploadQuotaTest, SizesAndDurationsReadNaturally) {
  EXPECT_EQ(DescribeBytes(512), "512 bytes");
  EXPECT_EQ(DescribeBytes(300 * 1024), "300 KiB");
  EXPECT_EQ(DescribeBytes(12 * kMiB + kMiB / 2), "12.5 MiB");
  EXPECT_EQ(DescribeBytes(std::uint64_t{10} << 30), "10 GiB");
  EXPECT_EQ(DescribeDuration(hours(24)), "24 h");
  EXPECT_EQ(DescribeDuration(minutes(90)), "90 min");
  EXPECT_EQ(DescribeDuration(seconds(2)), "2 s");
  EXPECT_EQ(DescribeDuration(milliseconds(1500)), "1500 ms");
}

}  // namespace
}  // namespace reel::video
