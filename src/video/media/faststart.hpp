#pragma once

#include <optional>
#include <string>

#include "kit/status/status.hpp"

namespace reel::video::media {

/// Whether the top-level 'moov' box (the index) comes before the first 'mdat' box (the media
/// data) in an ISO-BMFF file, so a player can start before downloading the whole file. Reads
/// only box headers. nullopt when the file is not ISO-BMFF or has neither box. Thread-safe.
std::optional<bool> MoovBeforeMdat(const std::string& path);

/// When `in` is MP4/MOV with its index after the media data, remuxes it (stream copy of the
/// video and audio streams, no re-encoding) into `out` with the index first and returns true.
/// Returns false and writes nothing when no rewrite is needed: already progressive, or not
/// ISO-BMFF. `out` appears complete or not at all (written beside it, then renamed).
///
/// Refusals: InvalidArgument MEDIA_INVALID when `in` cannot be demuxed (e.g. truncated);
/// Internal when writing fails or `in`'s size cannot be read. Thread-safe.
Result<bool> MakeFaststart(const std::string& in, const std::string& out);

}  // namespace reel::video::media
