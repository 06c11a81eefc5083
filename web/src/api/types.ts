// The objects of the /api JSON contract (docs/api-contract.md).

export interface User {
  id: number;
  name: string;
  follow_count: number;
  follower_count: number;
  is_follow: boolean;
  avatar: string;
  background_image: string;
  signature: string;
  total_favorited: number;
  work_count: number;
  favorite_count: number;
}

export interface Video {
  id: number;
  author: User;
  play_url: string;
  cover_url: string;
  favorite_count: number;
  comment_count: number;
  is_favorite: boolean;
  // issue 16: collections and shares
  collect_count: number;
  is_collected: boolean;
  share_count: number;
  title: string;
  description: string;
  tags: string[];
  created_at: number;
  width: number;
  height: number;
  duration_ms: number;
  // issue 16: visibility and provenance (absent from servers before it)
  is_public?: boolean;
  audit_status?: AuditStatus;
  /// Only on the author's own video that is not visible to everyone.
  audit_reason?: string;
  is_original?: boolean;
  source_url?: string;
}

export type AuditStatus = "approved" | "pending" | "rejected";

export interface Comment {
  id: number;
  video_id: number;
  user: User;
  content: string;
  created_at: number;
  create_date: string;
  // issue 16: replies. parent_id is the top-level comment a reply sits under (0 on a
  // top-level comment); reply_to_* what it answers ("A ▸ B").
  parent_id?: number;
  reply_to_comment_id?: number;
  reply_to_user?: User | null;
  hidden?: boolean;
  // On top-level comments of /api/comment/get: the replies the viewer sees, and the oldest few.
  reply_count?: number;
  first_replies?: Comment[];
}

export interface Message {
  id: number;
  from_user_id: number;
  to_user_id: number;
  content: string;
  created_at: number;
}

/// A friend in the owner's own friend list carries the newest message between the two.
export interface Friend extends User {
  last_message?: Message | null;
}

export interface Media {
  media_key: string;
  cover_key: string;
  play_url: string;
  cover_url: string;
  width: number;
  height: number;
  duration_ms: number;
  size_bytes: number;
}

export interface Tokens {
  user_id: number;
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  /// Register and login only: proof this browser signed in as the user, sent with the next
  /// login so a password guesser elsewhere cannot lock it out.
  device_token?: string;
}

export interface PageOf {
  next_cursor: string;
  has_more: boolean;
}

export type FeedType = "latest" | "following" | "hot";
export type RelationType = "follow" | "follower" | "friend";

// issue 16: moderation
export type ReportTargetType = "video" | "comment" | "user";
export const REPORT_REASONS = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual",
  "misinformation",
  "copyright",
  "other",
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface Report {
  id: number;
  reporter_id: number;
  target_type: ReportTargetType;
  target_id: number;
  reason: ReportReason;
  text: string;
  status: "open" | "dismissed" | "actioned";
  created_at: number;
  resolved_by: number;
  resolved_at: number;
  resolution: string;
  target_summary?: string;
}

export interface ModerationAction {
  id: number;
  moderator_id: number;
  action: string;
  target_type: ReportTargetType;
  target_id: number;
  reason: string;
  at: number;
}
