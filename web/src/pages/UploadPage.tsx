// Post a video: pick or drop a file (checked for type and size before a byte is sent), watch
// it upload with a real byte count, write its title, description and tags, then post it.
import { useEffect, useRef, useState } from "react";
import type { ChangeEvent, DragEvent, FormEvent, KeyboardEvent } from "react";
import { ApiError } from "../api/client";
import { createVideo, webConfig } from "../api/endpoints";
import type { Media } from "../api/types";
import { uploadVideo } from "../api/upload";
import type { UploadHandle, UploadProgress } from "../api/upload";
import { errorText, isAbort } from "../app/errors";
import { charCount, formatBytes } from "../app/format";
import { navigate } from "../app/router";
import { useToast } from "../components/Toast";
import {
  MAX_TITLE,
  VideoSettingsFields,
  checkDescription,
  checkSourceUrl,
  checkTitle,
  defaultVideoSettings,
  settingsBody,
} from "../components/VideoSettingsFields";
import type { VideoSettings } from "../components/VideoSettingsFields";
import { useT } from "../i18n/i18n";
import type { Translate } from "../i18n/i18n";

const MAX_TAGS = 10;
const MAX_TAG = 32;
const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|webm|mkv|avi|3gp)$/i;

/// Why the file cannot be a video upload, or "" when it can be sent.
export function checkFile(file: File, maxBytes: number, t: Translate): string {
  const looksVideo =
    file.type.startsWith("video/") || (!file.type && VIDEO_EXTENSIONS.test(file.name));
  if (!looksVideo) return t("uploadNotVideo", { name: file.name });
  if (file.size > maxBytes) {
    return t("uploadTooLarge", { size: formatBytes(file.size), max: formatBytes(maxBytes) });
  }
  return "";
}

type Stage =
  | { kind: "empty" }
  | { kind: "uploading"; progress: UploadProgress }
  | { kind: "uploaded"; media: Media }
  | { kind: "failed"; message: string };

export function UploadPage() {
  const t = useT();
  const toast = useToast();
  const [maxBytes, setMaxBytes] = useState(100 * 1024 * 1024);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState("");
  const [fileError, setFileError] = useState("");
  const [stage, setStage] = useState<Stage>({ kind: "empty" });
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState<string[]>([]);
  const [tagDraft, setTagDraft] = useState("");
  const [tagError, setTagError] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState("");
  const [dragging, setDragging] = useState(false);
  const [settings, setSettings] = useState<VideoSettings>(defaultVideoSettings);
  const upload = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void webConfig().then((c) => setMaxBytes(c.max_upload_bytes));
    return () => upload.current?.abort();
  }, []);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const start = (picked: File) => {
    const problem = checkFile(picked, maxBytes, t);
    if (problem) {
      setFileError(problem);
      return;
    }
    upload.current?.abort();
    setFileError("");
    setFile(picked);
    setPreview(URL.createObjectURL(picked));
    if (!title) setTitle(picked.name.replace(/\.[^.]+$/, "").slice(0, MAX_TITLE));
    setStage({ kind: "uploading", progress: { sent: 0, total: picked.size } });
    const handle = uploadVideo(picked, (progress) => {
      if (upload.current === handle) setStage({ kind: "uploading", progress });
    });
    upload.current = handle;
    handle.done.then(
      (media) => upload.current === handle && setStage({ kind: "uploaded", media }),
      (error) => {
        if (upload.current !== handle) return;
        if (isAbort(error)) {
          setStage({ kind: "failed", message: t("uploadCancelled") });
        } else if (error instanceof ApiError && error.status === 413) {
          // The server's limit may be lower than we were told; say it the same way.
          setStage({
            kind: "failed",
            message: t("uploadTooLargeServer", { size: formatBytes(picked.size) }),
          });
        } else {
          setStage({
            kind: "failed",
            message: t("uploadFailed", { message: errorText(error, t) }),
          });
        }
      },
    );
  };

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    if (picked) start(picked);
    event.target.value = "";
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) start(dropped);
  };

  const addTag = (raw: string) => {
    const tag = raw.trim().replace(/^#/, "");
    if (!tag) return;
    if (charCount(tag) > MAX_TAG) return setTagError(t("tagTooLong", { len: MAX_TAG }));
    if (tags.length >= MAX_TAGS) return setTagError(t("tagsTooMany", { max: MAX_TAGS }));
    setTagError("");
    if (!tags.includes(tag)) setTags([...tags, tag]);
    setTagDraft("");
  };
  const onTagKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === "," || event.key === "，") {
      event.preventDefault();
      addTag(tagDraft);
    } else if (event.key === "Backspace" && tagDraft === "" && tags.length > 0) {
      setTags(tags.slice(0, -1));
    }
  };

  const titleError = checkTitle(title, t);
  const descriptionError = checkDescription(description, t);

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (tagDraft.trim()) addTag(tagDraft);
    if (titleError || descriptionError || checkSourceUrl(settings, t)) return;
    if (stage.kind !== "uploaded") {
      setPublishError(t("waitForUpload"));
      return;
    }
    setPublishing(true);
    setPublishError("");
    try {
      const pending = tagDraft.trim().replace(/^#/, "");
      const allTags =
        pending && !tags.includes(pending) && tags.length < MAX_TAGS ? [...tags, pending] : tags;
      const { video } = await createVideo({
        media_key: stage.media.media_key,
        title: title.trim(),
        description: description.trim(),
        tags: allTags,
        ...settingsBody(settings),
      });
      toast(t("published"));
      navigate(`/v/${video.id}`);
    } catch (error) {
      setPublishError(t("publishFailed", { message: errorText(error, t) }));
    } finally {
      setPublishing(false);
    }
  };

  const progress = stage.kind === "uploading" ? stage.progress : null;
  const percent =
    progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  return (
    <div className="page upload-page">
      <h1>{t("uploadTitle")}</h1>
      <form className="upload-grid" onSubmit={publish} noValidate>
        <div className="upload-media">
          <div
            className={`dropzone ${dragging ? "dragging" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            {preview ? (
              <video
                className="preview"
                src={preview}
                controls
                muted
                playsInline
                aria-label={t("preview")}
              />
            ) : (
              <span className="dropzone-text" aria-hidden="true">
                ⬆
              </span>
            )}
            <input
              ref={input}
              id="upload-file"
              type="file"
              accept="video/*"
              hidden
              tabIndex={-1}
              onChange={onPick}
              data-testid="file-input"
            />
            <button
              type="button"
              className="button secondary"
              onClick={() => input.current?.click()}
              aria-describedby="upload-file-hint upload-file-error"
            >
              {file ? t("uploadChange") : t("uploadPick")}
            </button>
            <p id="upload-file-hint" className="muted small">
              {t("uploadHint", { max: formatBytes(maxBytes) })}
            </p>
          </div>
          <p id="upload-file-error" className="field-error" role="alert" data-testid="file-error">
            {fileError || (stage.kind === "failed" ? stage.message : "")}
          </p>
          {progress && (
            <div className="upload-progress">
              <progress
                max={progress.total}
                value={progress.sent}
                aria-label={t("uploadProgress", {
                  percent,
                  sent: formatBytes(progress.sent),
                  total: formatBytes(progress.total),
                })}
              />
              <span className="small" data-testid="upload-progress">
                {t("uploadProgress", {
                  percent,
                  sent: formatBytes(progress.sent),
                  total: formatBytes(progress.total),
                })}
              </span>
              <button
                type="button"
                className="button secondary small"
                onClick={() => upload.current?.abort()}
              >
                {t("uploadCancel")}
              </button>
            </div>
          )}
          {stage.kind === "uploaded" && (
            <p className="success" data-testid="upload-done">
              ✓ {t("uploadDone")} · {formatBytes(stage.media.size_bytes)} · {stage.media.width}×
              {stage.media.height}
            </p>
          )}
        </div>
        <div className="upload-fields">
          <div className="field">
            <label htmlFor="video-title">{t("titleLabel")}</label>
            <input
              id="video-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder={t("titlePlaceholder")}
              aria-invalid={submitted && titleError ? true : undefined}
              aria-describedby="video-title-error"
            />
            <p id="video-title-error" className="field-error">
              {submitted || charCount(title) > MAX_TITLE ? titleError : ""}
            </p>
          </div>
          <div className="field">
            <label htmlFor="video-description">{t("descriptionLabel")}</label>
            <textarea
              id="video-description"
              rows={4}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder={t("descriptionPlaceholder")}
              aria-invalid={descriptionError ? true : undefined}
              aria-describedby="video-description-error"
            />
            <p id="video-description-error" className="field-error">
              {descriptionError}
            </p>
          </div>
          <div className="field">
            <label htmlFor="video-tags">{t("tagsLabel")}</label>
            <div className="tag-input">
              {tags.map((tag) => (
                <span key={tag} className="chip">
                  #{tag}
                  <button
                    type="button"
                    onClick={() => setTags(tags.filter((x) => x !== tag))}
                    aria-label={t("removeTag", { tag })}
                  >
                    ✕
                  </button>
                </span>
              ))}
              <input
                id="video-tags"
                value={tagDraft}
                onChange={(e) => setTagDraft(e.target.value)}
                onKeyDown={onTagKey}
                onBlur={() => addTag(tagDraft)}
                placeholder={t("tagsPlaceholder")}
                aria-describedby="video-tags-hint video-tags-error"
              />
            </div>
            <p id="video-tags-hint" className="muted small">
              {t("tagsHint", { max: MAX_TAGS, len: MAX_TAG })}
            </p>
            <p id="video-tags-error" className="field-error">
              {tagError}
            </p>
          </div>
          <VideoSettingsFields
            value={settings}
            onChange={setSettings}
            showErrors={submitted}
            idPrefix="upload"
          />
          <p className="form-error" role="alert">
            {publishError}
          </p>
          <button
            type="submit"
            className="button primary wide"
            disabled={publishing || stage.kind !== "uploaded"}
            data-testid="publish"
          >
            {publishing ? t("publishing") : t("publish")}
          </button>
        </div>
      </form>
    </div>
  );
}
