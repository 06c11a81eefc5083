// issue 16: who may watch a video (public / private) and where it comes from (original or a
// repost with the link to its source), for the upload page and the edit dialog.
import { charCount } from "../app/format";
import type { Translate } from "../i18n/i18n";
import { useT } from "../i18n/i18n";

export const MAX_SOURCE_URL_BYTES = 2048;
export const MAX_TITLE = 100;
export const MAX_DESCRIPTION = 2000;

/// Why the title cannot be sent (blank or too long), or "" when it can; both forms check the
/// same as the server.
export function checkTitle(title: string, t: Translate): string {
  if (!title.trim()) return t("titleRequired");
  return charCount(title) > MAX_TITLE ? t("titleTooLong", { max: MAX_TITLE }) : "";
}

/// Why the description cannot be sent (too long), or "" when it can.
export function checkDescription(description: string, t: Translate): string {
  return charCount(description) > MAX_DESCRIPTION
    ? t("descriptionTooLong", { max: MAX_DESCRIPTION })
    : "";
}

export interface VideoSettings {
  isPublic: boolean;
  isOriginal: boolean;
  sourceUrl: string;
}

export const defaultVideoSettings: VideoSettings = {
  isPublic: true,
  isOriginal: true,
  sourceUrl: "",
};

/// Why the source link cannot be sent, or "" when it can (the server checks the same).
export function checkSourceUrl(settings: VideoSettings, t: Translate): string {
  if (settings.isOriginal) return "";
  const url = settings.sourceUrl.trim();
  if (!url) return t("sourceUrlRequired");
  if (new TextEncoder().encode(url).length > MAX_SOURCE_URL_BYTES) {
    return t("sourceUrlTooLong", { max: MAX_SOURCE_URL_BYTES });
  }
  // Printable ASCII only, as the server wants; a host after the scheme.
  if (!/^https?:\/\/[^/?#\s]+[!-~]*$/i.test(url) || /[^!-~]/.test(url)) {
    return t("sourceUrlInvalid");
  }
  return "";
}

/// The fields as the API takes them.
export function settingsBody(settings: VideoSettings) {
  return {
    is_public: settings.isPublic,
    is_original: settings.isOriginal,
    ...(settings.isOriginal ? {} : { source_url: settings.sourceUrl.trim() }),
  };
}

interface Props {
  value: VideoSettings;
  onChange: (value: VideoSettings) => void;
  /// Show the source link's problem (after a first try to send).
  showErrors: boolean;
  idPrefix: string;
}

export function VideoSettingsFields({ value, onChange, showErrors, idPrefix }: Props) {
  const t = useT();
  const sourceError = checkSourceUrl(value, t);
  return (
    <>
      <fieldset className="field choice-field">
        <legend>{t("visibilityLabel")}</legend>
        <label>
          <input
            type="radio"
            name={`${idPrefix}-visibility`}
            checked={value.isPublic}
            onChange={() => onChange({ ...value, isPublic: true })}
          />
          {t("visibilityPublic")}
        </label>
        <label>
          <input
            type="radio"
            name={`${idPrefix}-visibility`}
            checked={!value.isPublic}
            onChange={() => onChange({ ...value, isPublic: false })}
            data-testid={`${idPrefix}-private`}
          />
          🔒 {t("visibilityPrivate")}
        </label>
      </fieldset>
      <fieldset className="field choice-field">
        <legend>{t("provenanceLabel")}</legend>
        <label>
          <input
            type="radio"
            name={`${idPrefix}-provenance`}
            checked={value.isOriginal}
            onChange={() => onChange({ ...value, isOriginal: true })}
          />
          {t("provenanceOriginal")}
        </label>
        <label>
          <input
            type="radio"
            name={`${idPrefix}-provenance`}
            checked={!value.isOriginal}
            onChange={() => onChange({ ...value, isOriginal: false })}
            data-testid={`${idPrefix}-repost`}
          />
          {t("provenanceRepost")}
        </label>
      </fieldset>
      {!value.isOriginal && (
        <div className="field">
          <label htmlFor={`${idPrefix}-source`}>{t("sourceUrlLabel")}</label>
          <input
            id={`${idPrefix}-source`}
            type="url"
            inputMode="url"
            value={value.sourceUrl}
            onChange={(e) => onChange({ ...value, sourceUrl: e.target.value })}
            placeholder={t("sourceUrlPlaceholder")}
            aria-invalid={showErrors && sourceError ? true : undefined}
            aria-describedby={`${idPrefix}-source-error`}
          />
          <p id={`${idPrefix}-source-error`} className="field-error">
            {showErrors ? sourceError : ""}
          </p>
        </div>
      )}
    </>
  );
}
