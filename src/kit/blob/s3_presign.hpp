#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace reel::blob {

/// What a presigned GET authorises: one path on one host, for `expires` from `now`.
struct S3PresignInput {
  std::string host;  ///< as the Host header carries it: "bucket.s3.amazonaws.com", "127.0.0.1:9000"
  std::string path;  ///< the canonical URI, already percent-encoded: "/bucket/key"
  std::string region;
  std::string access_key;
  std::string secret_key;
  std::chrono::system_clock::time_point now;
  std::chrono::seconds expires{3600};
};

/// The query string (without '?') of an AWS Signature Version 4 presigned GET URL, as the
/// AWS documentation defines it (signed header: host; payload: UNSIGNED-PAYLOAD). S3 refuses
/// it once `expires` has passed; it may not exceed 7 days.
std::string PresignGetQuery(const S3PresignInput& input);

/// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is
/// encoded, and '/' too unless `keep_slash`.
std::string S3UriEncode(std::string_view text, bool keep_slash = false);

}  // namespace reel::blob
