#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reel::video {

/// An ingested upload, stored once however often it is published (content-addressed by the
/// SHA-256 of the uploaded bytes).
struct MediaObject {
  std::string sha256;
  std::string key;        // blob key of the playable file: "<sha256>.mp4" / ".webm"
  std::string cover_key;  // blob key of the JPEG cover: "<sha256>.jpg"
  std::uint64_t size_bytes = 0;
  int width = 0;
  int height = 0;
  std::int64_t duration_ms = 0;
  std::string codec;
  std::int64_t created_at_ms = 0;
};

/// One user's upload of a media object (a row per user and object; uploading the same bytes
/// again refreshes it). Pending until the user publishes a video of it; a pending upload
/// expires MediaSettings::pending_upload_ttl after `uploaded_at_ms`. Only a user with an upload
/// of an object (published, or pending and unexpired) may publish it.
struct MediaUpload {
  std::int64_t user_id = 0;
  std::string sha256;
  std::int64_t uploaded_at_ms = 0;
};

/// What one user holds in the media store as the quotas count it, seen from one object (the
/// one being uploaded). Pending uploads are the user's unpublished, unexpired ones.
struct MediaUsage {
  std::int64_t pending_uploads = 0;    // of other objects than the one being uploaded
  std::int64_t oldest_pending_ms = 0;  // upload time of the oldest of those; 0: none
  /// Sizes of the distinct objects the user's videos and pending uploads use.
  std::uint64_t stored_bytes = 0;
  bool holds_object = false;  // the object being uploaded is among them already
};

/// What one pass of upload expiry removed.
struct ExpiredUploads {
  std::size_t uploads = 0;           // expired upload rows
  std::vector<MediaObject> removed;  // objects nothing references any more (rows gone)
};

/// Where a video stands in moderation (issue 16). moderation.mode "off" approves at once;
/// "pre" holds new videos PENDING until a moderator decides.
enum class AuditStatus { kApproved, kPending, kRejected };

/// "approved", "pending" or "rejected": the stored and the /api spelling.
inline std::string_view AuditStatusName(AuditStatus status) {
  switch (status) {
    case AuditStatus::kPending:
      return "pending";
    case AuditStatus::kRejected:
      return "rejected";
    case AuditStatus::kApproved:
      break;
  }
  return "approved";
}

struct Video {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string title;
  std::string description;
  std::string media_key;
  std::string cover_key;
  int width = 0;
  int height = 0;
  std::int64_t duration_ms = 0;
  std::int64_t created_at_ms = 0;  // unique across videos
  std::vector<std::string> tags;   // normalised, in the author's order
  bool is_public = true;
  AuditStatus audit_status = AuditStatus::kApproved;
  std::string audit_reason;  // why it is rejected or held; "" when approved
  bool is_original = true;
  std::string source_url;  // set exactly when !is_original

  /// Everyone may see it: public and approved. Otherwise only its author (and moderators,
  /// through the moderation service's routes).
  bool VisibleToAll() const { return is_public && audit_status == AuditStatus::kApproved; }
  /// `viewer` (0: anonymous) may see it.
  bool VisibleTo(std::int64_t viewer) const {
    return VisibleToAll() || (viewer != 0 && viewer == author_id);
  }
};

/// What publishing asks the store to keep.
struct NewVideo {
  std::int64_t author_id = 0;
  std::string title;
  std::string description;
  std::string media_key;
  std::int64_t created_at_ms = 0;  // requested; the store may move it forward to stay unique
  std::vector<std::string> tags;   // normalised
  bool is_public = true;
  AuditStatus audit_status = AuditStatus::kApproved;
  bool is_original = true;
  std::string source_url;  // checked (CheckProvenance)
};

/// What an author changes in a video; absent fields stay as they are. Text is normalised.
struct VideoEdit {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;  // replaces every tag; empty removes them
  std::optional<bool> is_public;
  /// Provenance as given: the store combines it with what the video has and checks the
  /// result (CheckProvenance). is_original = true without a source_url clears the URL.
  std::optional<bool> is_original;
  std::optional<std::string> source_url;
};

/// Which videos a list shows (newest first, created_at_ms < before_ms; 0: no bound).
struct VideoQuery {
  std::int64_t author_id = 0;  // 0: every author
  std::int64_t before_ms = 0;
  int limit = 0;
  /// Only videos visible to everyone; false (an author's own list) lists all of theirs.
  bool visible_only = true;
  std::vector<std::int64_t> exclude_author_ids;  // left out (whom the viewer blocked)
};

/// An author's number of videos: all of them (what they see of themselves) and those
/// visible to everyone (what others see).
struct WorkCount {
  std::int64_t all = 0;
  std::int64_t visible = 0;
  bool operator==(const WorkCount&) const = default;
};

}  // namespace reel::video
