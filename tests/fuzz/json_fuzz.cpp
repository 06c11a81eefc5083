// JSON request bodies, as Params reads them for every route (application/json, or a body
// starting with '{' sent as a form or with no type). A body that is a JSON object nested no
// deeper than kMaxJsonDepth must be accepted and anything else refused (rapidjson's own
// SAX reader is the reference, for the depth too); each string member must come back
// unchanged, and survive being written into a response and read again (what the routes do
// with titles, names and error messages that quote a value).
//
// Input: the body.

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "kit/http/params.hpp"
#include "kit/json/json_writer.hpp"
#include "kit/text/utf8.hpp"

namespace {

using reel::fuzz::Check;

// Counts how deeply a document nests, as rapidjson's reader sees it.
struct DepthCounter : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthCounter> {
  std::size_t depth = 0;
  std::size_t deepest = 0;

  bool Default() { return true; }
  bool StartObject() { return Enter(); }
  bool EndObject(rapidjson::SizeType) { return Leave(); }
  bool StartArray() { return Enter(); }
  bool EndArray(rapidjson::SizeType) { return Leave(); }
  bool Enter() {
    deepest = std::max(deepest, ++depth);
    return true;
  }
  bool Leave() {
    --depth;
    return true;
  }
};

// What Params should make of the body: a JSON object within the depth limit. `doc` gets
// the object. Both parses are iterative, so no depth is too deep for them.
bool Acceptable(std::string_view body, rapidjson::Document& doc) {
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(body.data(), body.size());
  DepthCounter counter;
  reader.Parse<rapidjson::kParseIterativeFlag>(stream, counter);
  return counter.deepest <= reel::http::kMaxJsonDepth;
}

// JsonWriter must write valid JSON whatever the text: a value that is UTF-8 reads back
// exactly (control characters included, which rapidjson 1.1.0's SSE2 writer alone misses
// for 0x1A..0x1F); one that is not becomes valid UTF-8 (U+FFFD for the bad bytes).
void CheckWriterRoundTrip(std::string_view value) {
  reel::json::JsonWriter w(64);
  w.BeginObject().Field("v", value).EndObject();
  const std::string written = w.Take();
  rapidjson::Document back;
  back.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
      written.data(), written.size());
  Check(!back.HasParseError() && back.IsObject() && back.HasMember("v") && back["v"].IsString(),
        "JsonWriter wrote a string that does not read back as valid UTF-8 JSON");
  if (reel::text::IsValidUtf8(value)) {
    Check(std::string_view(back["v"].GetString(), back["v"].GetStringLength()) == value,
          "JsonWriter changed a string on the way back");
  }
}

void FuzzOne(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::FuzzInput in(data, size);
  reel::http::Request request;
  request.method = "POST";
  request.path = "/api/user/login";
  request.body = std::string(in.Rest());
  if (request.body.empty()) return;  // no body: nothing is parsed
  request.headers.emplace_back("content-type", "application/json");

  rapidjson::Document reference;
  const bool acceptable = Acceptable(request.body, reference);
  const auto params = reel::http::Params::From(request);
  if (request.body.find('\0') == std::string::npos) {
    Check(params.ok() == acceptable, "Params and a reference parse disagree about a JSON body");
  } else {
    // rapidjson takes a NUL for the end of its input, so it ignores what follows; Params
    // may still refuse a body for nesting there.
    Check(!params.ok() || acceptable, "Params accepted a body the reference refuses");
  }
  if (!params.ok()) return;

  for (const auto& member : reference.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    // The first member of a name is the one read; later duplicates are shadowed.
    if (&*reference.FindMember(member.name) != &member) continue;
    if (member.value.IsString()) {
      const std::string_view value(member.value.GetString(), member.value.GetStringLength());
      Check(params->Get(name) == value, "a JSON string member reads back differently");
      CheckWriterRoundTrip(value);
    }
    if (member.value.IsArray()) (void)params->OptionalStringList(name);
    if (member.value.IsNumber()) (void)params->OptionalInt(name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reel::fuzz::OnSmallStack([&] { FuzzOne(data, size); });
  return 0;
}
