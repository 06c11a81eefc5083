#include "kit/trace/trace.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace reel::trace {
namespace {

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanId[] = "00f067aa0ba902b7";
const std::string kSampled = std::string("00-") + kTraceId + "-" + kSpanId + "-01";

// Sampling reads the process's options: every test here starts from the defaults.
class TraceTest : public ::testing::Test {
 protected:
  void SetUp() override { Configure(TracerOptions{}); }
  void TearDown() override { Shutdown(); }
};

TEST_F(TraceTest, ParsesAValidTraceparent) {
  auto context = ParseTraceparent(kSampled);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->TraceIdHex(), kTraceId);
  EXPECT_EQ(context->SpanIdHex(), kSpanId);
  EXPECT_EQ(context->trace_id[0], 0x4b);
  EXPECT_EQ(context->span_id[7], 0xb7);
  EXPECT_TRUE(context->sampled);
  EXPECT_TRUE(context->valid());
}

TEST_F(TraceTest, SampledIsBitZeroOfTheFlags) {
  const std::string prefix = std::string("00-") + kTraceId + "-" + kSpanId + "-";
  EXPECT_FALSE(ParseTraceparent(prefix + "00")->sampled);
  EXPECT_FALSE(ParseTraceparent(prefix + "02")->sampled);
  EXPECT_TRUE(ParseTraceparent(prefix + "03")->sampled);
  EXPECT_TRUE(ParseTraceparent(prefix + "09")->sampled);
}

TEST_F(TraceTest, RejectsMalformedTraceparents) {
  const std::string trace = kTraceId;
  const std::string span = kSpanId;
  const std::string bad[] = {
      "",
      "00",
      kSampled.substr(0, 54),                                 // one short
      kSampled + "0",                                         // one long
      kSampled + "-extra",                                    // version 00 has no more fields
      "00-" + trace.substr(1) + "-" + span + "-01",           // trace id of 31 digits
      "00-" + trace + "0-" + span + "-01",                    // trace id of 33 digits
      "00-" + trace + "-" + span.substr(1) + "-010",          // span id of 15 digits
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + span + "-01",  // upper-case hex
      "00-" + trace + "-00F067AA0BA902B7-01",
      "00-" + trace + "-" + span + "-0A",
      "0A-" + trace + "-" + span + "-01",
      "00-00000000000000000000000000000000-" + span + "-01",  // zero trace id
      "00-" + trace + "-0000000000000000-01",                 // zero span id
      "ff-" + trace + "-" + span + "-01",                     // the forbidden version
      "00_" + trace + "-" + span + "-01",                     // separators
      "00-" + trace + "_" + span + "-01",
      "00-" + trace + "-" + span + "_01",
      "00-" + trace.substr(0, 31) + "g-" + span + "-01",  // not hex
      "00-" + trace + "-" + span + "-0x",
      " 00-" + trace + "-" + span + "-01",
  };
  for (const std::string& header : bad) {
    EXPECT_FALSE(ParseTraceparent(header).has_value()) << "accepted: \"" << header << '"';
  }
}

TEST_F(TraceTest, AcceptsALaterVersionWithFieldsOfItsOwn) {
  const std::string rest = std::string("-") + kTraceId + "-" + kSpanId + "-01";
  EXPECT_TRUE(ParseTraceparent("01" + rest).has_value());
  EXPECT_TRUE(ParseTraceparent("cc" + rest + "-whatever-comes-next").has_value());
  EXPECT_FALSE(ParseTraceparent("cc" + rest + "x").has_value());
}

TEST_F(TraceTest, FormatAndParseRoundTrip) {
  EXPECT_EQ(FormatTraceparent(*ParseTraceparent(kSampled)), kSampled);
  const std::string unsampled = std::string("00-") + kTraceId + "-" + kSpanId + "-00";
  EXPECT_EQ(FormatTraceparent(*ParseTraceparent(unsampled)), unsampled);

  Span span("round trip");
  auto parsed = ParseTraceparent(FormatTraceparent(span.context()));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->trace_id, span.context().trace_id);
  EXPECT_EQ(parsed->span_id, span.context().span_id);
  EXPECT_EQ(parsed->sampled, span.context().sampled);
}

TEST_F(TraceTest, ZeroIdsAreInvalid) {
  SpanContext context;
  EXPECT_FALSE(context.valid());
  EXPECT_EQ(context.TraceIdHex(), std::string(32, '0'));
  EXPECT_EQ(context.SpanIdHex(), std::string(16, '0'));
  context.trace_id[15] = 1;
  EXPECT_FALSE(context.valid());  // the span id is still zero
  context.span_id[0] = 0xab;
  EXPECT_TRUE(context.valid());
  EXPECT_EQ(context.SpanIdHex(), "ab00000000000000");
}

TEST_F(TraceTest, ARootSpanStartsATraceAndIsCurrentUntilItEnds) {
  EXPECT_FALSE(Current().has_value());
  {
    Span root("root");
    EXPECT_TRUE(root.context().valid());
    ASSERT_TRUE(Current().has_value());
    EXPECT_EQ(Current()->span_id, root.context().span_id);
  }
  EXPECT_FALSE(Current().has_value());
}

TEST_F(TraceTest, AChildSharesItsParentsTraceAndNestingRestoresTheCurrentSpan) {
  Span root("root", SpanKind::kServer);
  {
    Span child("child");
    EXPECT_EQ(child.context().trace_id, root.context().trace_id);
    EXPECT_NE(child.context().span_id, root.context().span_id);
    {
      Span grandchild("grandchild", SpanKind::kClient);
      EXPECT_EQ(grandchild.context().trace_id, root.context().trace_id);
      EXPECT_EQ(Current()->span_id, grandchild.context().span_id);
    }
    EXPECT_EQ(Current()->span_id, child.context().span_id);
    child.End();
    EXPECT_EQ(Current()->span_id, root.context().span_id);
    child.End();  // a second End changes nothing
    EXPECT_EQ(Current()->span_id, root.context().span_id);
  }  // the destructor after End changes nothing either
  EXPECT_EQ(Current()->span_id, root.context().span_id);
}

TEST_F(TraceTest, AnExplicitParentWinsOverTheCurrentSpan) {
  Span current("current");
  Span root("new root", SpanKind::kInternal, std::nullopt);
  EXPECT_NE(root.context().trace_id, current.context().trace_id);

  auto remote = ParseTraceparent(kSampled);
  Span child("remote child", SpanKind::kServer, remote);
  EXPECT_EQ(child.context().trace_id, remote->trace_id);
}

TEST_F(TraceTest, AScopedRemoteContextParentsTheNextSpan) {
  auto remote = ParseTraceparent(kSampled);
  {
    ScopedContext scope(remote);
    ASSERT_TRUE(Current().has_value());
    EXPECT_EQ(Current()->span_id, remote->span_id);
    Span server("server", SpanKind::kServer);
    EXPECT_EQ(server.context().trace_id, remote->trace_id);
    EXPECT_NE(server.context().span_id, remote->span_id);
    EXPECT_TRUE(server.context().sampled);
  }
  EXPECT_FALSE(Current().has_value());
}

TEST_F(TraceTest, AScopedContextOfNothingChangesNothing) {
  Span outer("outer");
  {
    ScopedContext none(std::nullopt);
    EXPECT_EQ(Current()->span_id, outer.context().span_id);
    ScopedContext zero(SpanContext{});  // invalid ids count as none
    EXPECT_EQ(Current()->span_id, outer.context().span_id);
  }
  EXPECT_EQ(Current()->span_id, outer.context().span_id);
}

TEST_F(TraceTest, AnUnsampledParentMakesUnsampledChildren) {
  auto remote = ParseTraceparent(std::string("00-") + kTraceId + "-" + kSpanId + "-00");
  ScopedContext scope(remote);
  Span child("child");
  EXPECT_FALSE(child.context().sampled);
  Span grandchild("grandchild");
  EXPECT_FALSE(grandchild.context().sampled);
  EXPECT_EQ(FormatTraceparent(grandchild.context()).substr(53), "00");
}

TEST_F(TraceTest, ASampledParentIsFollowedWhateverTheRatio) {
  TracerOptions options;
  options.sample_ratio = 0.0;
  Configure(options);
  ScopedContext scope(ParseTraceparent(kSampled));
  Span child("child");
  EXPECT_TRUE(child.context().sampled);
}

TEST_F(TraceTest, SampleRatioDecidesForRoots) {
  TracerOptions options;
  options.sample_ratio = 0.0;
  Configure(options);
  for (int i = 0; i < 200; ++i) EXPECT_FALSE(Span("never").context().sampled);

  options.sample_ratio = 1.0;
  Configure(options);
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(Span("always").context().sampled);

  // A half: 1000 roots land within 6 standard deviations of 500.
  options.sample_ratio = 0.5;
  Configure(options);
  int sampled = 0;
  for (int i = 0; i < 1000; ++i) sampled += Span("half").context().sampled ? 1 : 0;
  EXPECT_GT(sampled, 400);
  EXPECT_LT(sampled, 600);
}

TEST_F(TraceTest, IdsAreUnique) {
  std::set<std::string> traces;
  std::set<std::string> spans;
  for (int i = 0; i < 2000; ++i) {
    Span root("root");
    traces.insert(root.context().TraceIdHex());
    spans.insert(root.context().SpanIdHex());
  }
  EXPECT_EQ(traces.size(), 2000u);
  EXPECT_EQ(spans.size(), 2000u);
}

TEST_F(TraceTest, DisabledTracingQueuesNothing) {
  const ExportCounts before = Counts();
  {
    Span root("root");
    root.SetAttribute("key", "value");
    root.SetError("failed");
    EXPECT_TRUE(root.context().sampled);
  }
  const ExportCounts after = Counts();
  EXPECT_EQ(after.queued, before.queued);
  EXPECT_EQ(after.dropped, before.dropped);
}

}  // namespace
}  // namespace reel::trace
