#include "kit/rpc/grpc_status.hpp"

#include <gtest/gtest.h>

namespace reel::rpc {
namespace {

using namespace std::chrono_literals;

void ExpectSame(const Status& got, const Status& want) {
  EXPECT_EQ(got.code, want.code) << CodeName(want.code);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.message, want.message);
  EXPECT_EQ(got.retry_after, want.retry_after);
}

TEST(GrpcStatusTest, EveryCodeRoundTripsExactly) {
  const Status sent[] = {
      InvalidArgument("TEXT_TOO_LONG", "comment is longer than 500 characters"),
      Unauthenticated("TOKEN_EXPIRED", "sign in again"),
      PermissionDenied("NOT_OWNER", "only the author may delete this video"),
      NotFound("VIDEO_NOT_FOUND", "no video 42"),
      MethodNotAllowed("METHOD_NOT_ALLOWED", "use POST"),
      AlreadyExists("USERNAME_TAKEN", "that name is taken"),
      PayloadTooLarge("VIDEO_TOO_LARGE", "at most 100 MB"),
      ResourceExhausted("RATE_LIMITED", "slow down", 17s),
      Internal("disk on fire"),
      Unavailable("DEPENDENCY_UNAVAILABLE", "user.GetUsers: no user instance"),
  };
  for (const Status& status : sent) {
    const grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(wire.error_code()), GrpcCodeOf(status.code));
    EXPECT_EQ(wire.error_message(), status.message);
    ExpectSame(FromGrpcStatus(wire, "svc.Method"), status);
  }
}

TEST(GrpcStatusTest, CodesSharingAGrpcCodeStayApart) {
  // 413 and 429 both travel as RESOURCE_EXHAUSTED; the details keep them apart.
  const Status too_large = PayloadTooLarge("VIDEO_TOO_LARGE", "big");
  const Status limited = ResourceExhausted("RATE_LIMITED", "wait", 3s);
  EXPECT_EQ(ToGrpcStatus(too_large).error_code(), ToGrpcStatus(limited).error_code());
  EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(too_large), "x").code, Code::kPayloadTooLarge);
  EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(limited), "x").code, Code::kResourceExhausted);
}

TEST(GrpcStatusTest, ReasonWithSpacesAndEmptyPartsSurvive) {
  const Status odd{Code::kNotFound, "ODD REASON with spaces", "", 0s};
  ExpectSame(FromGrpcStatus(ToGrpcStatus(odd), "x"), odd);
  const Status empty_reason{Code::kInvalidArgument, "", "message only", 0s};
  ExpectSame(FromGrpcStatus(ToGrpcStatus(empty_reason), "x"), empty_reason);
}

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(Status::Ok()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK, "x").ok());
}

TEST(GrpcStatusTest, ForeignUnavailableIsDependencyUnavailable) {
  const Status got = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"),
      "user.GetUser");
  EXPECT_EQ(got.code, Code::kUnavailable);
  EXPECT_EQ(got.reason, "DEPENDENCY_UNAVAILABLE");
  EXPECT_EQ(got.message, "user.GetUser: the service is not reachable");
}

TEST(GrpcStatusTest, ForeignDeadlineExceededIsDependencyTimeout) {
  const Status got = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"), "video.GetVideos");
  EXPECT_EQ(got.code, Code::kUnavailable);
  EXPECT_EQ(got.reason, "DEPENDENCY_TIMEOUT");
  EXPECT_EQ(got.message, "video.GetVideos: the service did not answer in time");
}

TEST(GrpcStatusTest, OtherForeignCodesAreInternal) {
  const Status got =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such method"), "feed.Get");
  EXPECT_EQ(got.code, Code::kInternal);
  EXPECT_EQ(got.reason, "INTERNAL");
  EXPECT_NE(got.message.find("feed.Get"), std::string::npos) << got.message;
  EXPECT_NE(got.message.find("UNIMPLEMENTED"), std::string::npos) << got.message;
  EXPECT_NE(got.message.find("no such method"), std::string::npos) << got.message;
}

TEST(GrpcStatusTest, UnrecognisedDetailsAreIgnored) {
  // Details from another peer (or a corrupted trailer) do not pass for ours.
  for (const char* details :
       {"", "garbage", "reel.status.v1 no_such_code 0 X", "reel.status.v1 not_found -1 X",
        "reel.status.v1 ok 0 X", "reel.status.v1 not_found 0x1 X", "reel.status.v1 not_found"}) {
    const grpc::Status wire(grpc::StatusCode::UNAVAILABLE, "down", details);
    const Status got = FromGrpcStatus(wire, "x");
    EXPECT_EQ(got.reason, "DEPENDENCY_UNAVAILABLE") << details;
    EXPECT_TRUE(IsTransportFailure(wire)) << details;
  }
}

TEST(GrpcStatusTest, TransportFailureOnlyWithoutReelDetails) {
  EXPECT_TRUE(IsTransportFailure(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_TRUE(IsTransportFailure(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")));
  EXPECT_FALSE(IsTransportFailure(grpc::Status::OK));
  EXPECT_FALSE(IsTransportFailure(grpc::Status(grpc::StatusCode::NOT_FOUND, "gone")));
  // The service itself said "unavailable" (its own dependency is down): an answer.
  EXPECT_FALSE(IsTransportFailure(ToGrpcStatus(Unavailable("DEPENDENCY_TIMEOUT", "x"))));
}

// Issue 18: a store that is down throws; the service adapter answers with its Status (the
// caller sees 503 STORE_UNAVAILABLE, not gRPC's UNKNOWN), and nothing of the reply is set.
TEST(GrpcStatusTest, AnswerTurnsAThrownStatusErrorIntoItsStatus) {
  std::string reply = "untouched";
  const grpc::Status answered = Answer(
      []() -> Result<std::string> {
        throw StatusError(Unavailable("STORE_UNAVAILABLE", "the database is unavailable"),
                          "primary 127.0.0.1:3306 unreachable");
      },
      &reply);
  EXPECT_EQ(answered.error_code(), grpc::StatusCode::UNAVAILABLE);
  const Status back = FromGrpcStatus(answered, "favorite.Like");
  EXPECT_EQ(back.code, Code::kUnavailable);
  EXPECT_EQ(back.reason, "STORE_UNAVAILABLE");
  EXPECT_EQ(reply, "untouched");
  const grpc::Status fine =
      Answer([]() -> Result<std::string> { return std::string("ok"); }, &reply);
  EXPECT_TRUE(fine.ok());
  EXPECT_EQ(reply, "ok");
}

}  // namespace
}  // namespace reel::rpc
