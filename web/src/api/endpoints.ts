// One function per /api route the client uses (docs/api-contract.md).
import { api } from "./client";
import { deviceTokenFor, rememberDeviceToken } from "./session";
import type {
  Comment,
  FeedType,
  Friend,
  Message,
  ModerationAction,
  PageOf,
  RelationType,
  Report,
  ReportReason,
  ReportTargetType,
  Tokens,
  User,
  Video,
} from "./types";

export interface Paging {
  cursor?: string;
  limit?: number;
  signal?: AbortSignal;
}

export type VideoPage = PageOf & { videos: Video[] };
export type UserPage = PageOf & { users: User[] };
export type FriendPage = PageOf & { users: Friend[] };
export type CommentPage = PageOf & { comments: Comment[] };
export type ReplyPage = PageOf & { replies: Comment[] };

export async function register(username: string, password: string): Promise<Tokens> {
  const tokens = await api<Tokens>("POST", "/api/user/register", { json: { username, password } });
  rememberDeviceToken(username, tokens.device_token);
  return tokens;
}

/// Sends the device token of an earlier sign-in as `username` here, and keeps the new one.
export async function login(username: string, password: string): Promise<Tokens> {
  const device_token = deviceTokenFor(username);
  const tokens = await api<Tokens>("POST", "/api/user/login", {
    json: { username, password, device_token },
  });
  rememberDeviceToken(username, tokens.device_token);
  return tokens;
}

export const getUser = (userId?: number, signal?: AbortSignal) =>
  api<{ user: User }>("GET", "/api/user", { query: { user_id: userId }, signal });

export interface ProfileChanges {
  name?: string;
  signature?: string;
  avatar?: File;
  background_image?: File;
}

/// JSON for text alone; multipart when an image goes along.
export function updateProfile(changes: ProfileChanges) {
  if (!changes.avatar && !changes.background_image) {
    return api<{ user: User }>("PATCH", "/api/user", {
      json: { name: changes.name, signature: changes.signature },
    });
  }
  const form = new FormData();
  if (changes.name !== undefined) form.set("name", changes.name);
  if (changes.signature !== undefined) form.set("signature", changes.signature);
  if (changes.avatar) form.set("avatar", changes.avatar);
  if (changes.background_image) form.set("background_image", changes.background_image);
  return api<{ user: User }>("PATCH", "/api/user", { form });
}

export const createVideo = (body: {
  media_key: string;
  title: string;
  description?: string;
  tags?: string[];
  is_public?: boolean;
  is_original?: boolean;
  source_url?: string;
}) => api<{ video: Video }>("POST", "/api/video/create", { json: body });

export const getVideo = (id: number, signal?: AbortSignal) =>
  api<{ video: Video }>("GET", `/api/video/${id}`, { signal });

export const deleteVideo = (id: number) => api<{ deleted: boolean }>("DELETE", `/api/video/${id}`);

export const listWorks = (userId: number, page: Paging = {}) =>
  api<VideoPage>("GET", "/api/video", {
    query: { user_id: userId, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const listLikes = (userId: number, page: Paging = {}) =>
  api<VideoPage>("GET", "/api/favorite/videos", {
    query: { user_id: userId, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const feed = (type: FeedType, page: Paging = {}) =>
  api<VideoPage>("GET", "/api/feed", {
    query: { type, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const like = (videoId: number, liked: boolean) =>
  api<{ changed: boolean; is_favorite: boolean; favorite_count: number }>(
    "POST",
    "/api/favorite/action",
    { json: { video_id: videoId, action: liked ? "like" : "unlike" } },
  );

export const listComments = (videoId: number, page: Paging = {}) =>
  api<CommentPage>("GET", "/api/comment/get", {
    query: { video_id: videoId, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

/// parentId: the comment replied to (issue 16), or none for a comment on the video.
export const postComment = (videoId: number, content: string, parentId?: number) =>
  api<{ comment: Comment }>("POST", "/api/comment/create", {
    json: { video_id: videoId, content, parent_id: parentId },
  });

/// The replies under one top-level comment, oldest first.
export const listReplies = (commentId: number, page: Paging = {}) =>
  api<ReplyPage>("GET", "/api/comment/replies", {
    query: { comment_id: commentId, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const deleteComment = (id: number) =>
  api<{ deleted: boolean }>("DELETE", `/api/comment/${id}`);

export const follow = (userId: number, following: boolean) =>
  api<{ changed: boolean; is_follow: boolean }>("POST", "/api/relation/control", {
    json: { to_user_id: userId, action: following ? "follow" : "unfollow" },
  });

export const listRelations = (userId: number, type: RelationType, page: Paging = {}) =>
  api<FriendPage>("GET", "/api/relation/list", {
    query: { user_id: userId, type, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const sendMessage = (toUserId: number, content: string) =>
  api<{ message: Message }>("POST", "/api/message/send", {
    json: { to_user_id: toUserId, content },
  });

export const chat = (toUserId: number, after: number, signal?: AbortSignal) =>
  api<{ messages: Message[]; next_after: number }>("GET", "/api/message/chat", {
    query: { to_user_id: toUserId, after, limit: 100 },
    signal,
  });

// issue 16: blocks
export const block = (userId: number, blocking: boolean) =>
  api<{ changed: boolean; is_blocked: boolean }>("POST", "/api/relation/block", {
    json: { to_user_id: userId, action: blocking ? "block" : "unblock" },
  });

export const listBlocked = (page: Paging = {}) =>
  api<UserPage>("GET", "/api/relation/blocked", {
    query: { cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

/// Whether the signed-in user blocked `userId` (a page of that user alone, or an empty one).
export const isBlocked = async (userId: number, signal?: AbortSignal) =>
  (await api<UserPage>("GET", "/api/relation/blocked", { query: { to_user_id: userId }, signal }))
    .users.length > 0;

export function searchVideos(q: string, page: Paging = {}) {
  return api<VideoPage>("GET", "/api/search", {
    query: { q, type: "video", cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });
}

export function searchUsers(q: string, page: Paging = {}) {
  return api<UserPage>("GET", "/api/search", {
    query: { q, type: "user", cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });
}

/// Settings of the server the client needs before talking to it (served beside the client).
export interface WebConfig {
  max_upload_bytes: number;
  max_image_bytes: number;
}

const fallbackConfig: WebConfig = {
  max_upload_bytes: 100 * 1024 * 1024,
  max_image_bytes: 5 * 1024 * 1024,
};
let configPromise: Promise<WebConfig> | null = null;

export function webConfig(): Promise<WebConfig> {
  configPromise ??= fetch("/web-config.json")
    .then((r) => (r.ok ? (r.json() as Promise<Partial<WebConfig>>) : {}))
    .then((c) => ({ ...fallbackConfig, ...c }))
    .catch(() => fallbackConfig);
  return configPromise;
}

// issue 16: the author edits a video (only the fields given change).
export const updateVideo = (
  id: number,
  changes: {
    title?: string;
    description?: string;
    tags?: string[];
    is_public?: boolean;
    is_original?: boolean;
    source_url?: string;
  },
) => api<{ video: Video }>("PATCH", `/api/video/${id}`, { json: changes });

// issue 16: collections (收藏) and shares
export const collect = (videoId: number, collected: boolean) =>
  api<{ changed: boolean; is_collected: boolean; collect_count: number }>(
    "POST",
    "/api/favorite/collect",
    { json: { video_id: videoId, action: collected ? "collect" : "uncollect" } },
  );

export const listCollections = (userId: number, page: Paging = {}) =>
  api<VideoPage>("GET", "/api/favorite/collections", {
    query: { user_id: userId, cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });

export const getCollectionSettings = (signal?: AbortSignal) =>
  api<{ collections_public: boolean }>("GET", "/api/favorite/settings", { signal });

export const setCollectionsPublic = (collectionsPublic: boolean) =>
  api<{ collections_public: boolean }>("POST", "/api/favorite/settings", {
    json: { collections_public: collectionsPublic },
  });

export const shareVideo = (videoId: number) =>
  api<{ share_url: string; counted: boolean; share_count: number }>("POST", "/api/favorite/share", {
    json: { video_id: videoId },
  });

// issue 16: moderation (reports by anyone signed in; the rest for moderators only)
export const createReport = (
  target_type: ReportTargetType,
  target_id: number,
  reason: ReportReason,
  text: string,
) =>
  api<{ report: Report; changed: boolean }>("POST", "/api/report/create", {
    json: { target_type, target_id, reason, text },
  });

export const moderatorMe = (signal?: AbortSignal) =>
  api<{ user_id: number; moderator: boolean }>("GET", "/api/admin/me", { signal });

export function pendingVideos(page: Paging = {}) {
  return api<VideoPage>("GET", "/api/admin/videos", {
    query: { status: "pending", cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });
}

export const reviewVideo = (videoId: number, action: "approve" | "reject", reason = "") =>
  api<{ video_id: number; audit_status: string }>("POST", `/api/admin/videos/${videoId}/review`, {
    json: { action, reason },
  });

export function openReports(page: Paging = {}) {
  return api<PageOf & { reports: Report[] }>("GET", "/api/admin/reports", {
    query: { status: "open", cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });
}

export const resolveReport = (reportId: number, action: "dismiss" | "remove", note = "") =>
  api<{ report: Report }>("POST", `/api/admin/reports/${reportId}/resolve`, {
    json: { action, note },
  });

export function moderationActions(page: Paging = {}) {
  return api<PageOf & { actions: ModerationAction[] }>("GET", "/api/admin/actions", {
    query: { cursor: page.cursor, limit: page.limit },
    signal: page.signal,
  });
}
