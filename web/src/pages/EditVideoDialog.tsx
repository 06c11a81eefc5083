// issue 16: the author edits a video's title, description, privacy and provenance
// (PATCH /api/video/{id}; only what changed is sent).
import { useState } from "react";
import type { FormEvent } from "react";
import { updateVideo } from "../api/endpoints";
import type { Video } from "../api/types";
import { errorText } from "../app/errors";
import { Dialog, SaveCancelActions } from "../components/Dialog";
import { useToast } from "../components/Toast";
import {
  VideoSettingsFields,
  checkDescription,
  checkSourceUrl,
  checkTitle,
  settingsBody,
} from "../components/VideoSettingsFields";
import type { VideoSettings } from "../components/VideoSettingsFields";
import { useT } from "../i18n/i18n";

interface Props {
  video: Video;
  onClose: () => void;
  onSaved: (video: Video) => void;
}

export function EditVideoDialog({ video, onClose, onSaved }: Props) {
  const t = useT();
  const toast = useToast();
  const [title, setTitle] = useState(video.title);
  const [description, setDescription] = useState(video.description);
  const [settings, setSettings] = useState<VideoSettings>({
    isPublic: video.is_public !== false,
    isOriginal: video.is_original !== false,
    sourceUrl: video.source_url ?? "",
  });
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState("");

  const titleError = checkTitle(title, t);
  const descriptionError = checkDescription(description, t);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (titleError || descriptionError || checkSourceUrl(settings, t)) return;
    setSaving(true);
    setFormError("");
    try {
      const { video: saved } = await updateVideo(video.id, {
        title: title.trim(),
        description: description.trim(),
        ...settingsBody(settings),
      });
      toast(t("saved"));
      onSaved(saved);
      onClose();
    } catch (error) {
      setFormError(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={t("editVideoTitle")} onClose={onClose} closeLabel={t("close")}>
      <form className="edit-form" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor="edit-video-title">{t("titleLabel")}</label>
          <input
            id="edit-video-title"
            data-autofocus
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={submitted && titleError ? true : undefined}
            aria-describedby="edit-video-title-error"
          />
          <p id="edit-video-title-error" className="field-error">
            {submitted ? titleError : ""}
          </p>
        </div>
        <div className="field">
          <label htmlFor="edit-video-description">{t("descriptionLabel")}</label>
          <textarea
            id="edit-video-description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby="edit-video-description-error"
          />
          <p id="edit-video-description-error" className="field-error">
            {descriptionError}
          </p>
        </div>
        <VideoSettingsFields
          value={settings}
          onChange={setSettings}
          showErrors={submitted}
          idPrefix="edit-video"
        />
        <p className="form-error" role="alert">
          {formError}
        </p>
        <SaveCancelActions
          onCancel={onClose}
          saving={saving}
          labels={{ cancel: t("cancel"), save: t("save"), saving: t("saving") }}
        />
      </form>
    </Dialog>
  );
}
