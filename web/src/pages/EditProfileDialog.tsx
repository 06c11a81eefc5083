// Edit your own name, bio, avatar and background (PATCH /api/user; multipart with images),
// and whether your collections are public (POST /api/favorite/settings).
import { useEffect, useState } from "react";
import type { ChangeEvent, FormEvent } from "react";
import { ApiError } from "../api/client";
import { getCollectionSettings, setCollectionsPublic, updateProfile } from "../api/endpoints";
import type { User } from "../api/types";
import { errorText } from "../app/errors";
import { charCount, formatBytes } from "../app/format";
import { Dialog, SaveCancelActions } from "../components/Dialog";
import { useToast } from "../components/Toast";
import { useT } from "../i18n/i18n";

const MAX_NAME = 32;
const MAX_SIGNATURE = 200;
const MAX_IMAGE = 5 * 1024 * 1024;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];

interface Props {
  user: User;
  onClose: () => void;
  onSaved: (user: User) => void;
}

interface Picked {
  file: File;
  url: string;
}

export function EditProfileDialog({ user, onClose, onSaved }: Props) {
  const t = useT();
  const toast = useToast();
  const [name, setName] = useState(user.name);
  const [signature, setSignature] = useState(user.signature);
  const [avatar, setAvatar] = useState<Picked | null>(null);
  const [background, setBackground] = useState<Picked | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  // The collection setting as the server has it (null until read) and as the switch shows it.
  const [collectionsPublicWas, setCollectionsPublicWas] = useState<boolean | null>(null);
  const [collectionsPublic, setCollectionsPublicShown] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    getCollectionSettings(abort.signal)
      .then((r) => {
        setCollectionsPublicWas(r.collections_public);
        setCollectionsPublicShown(r.collections_public);
      })
      .catch(() => {
        // Left unknown: the switch stays disabled and nothing is sent for it.
      });
    return () => abort.abort();
  }, []);

  useEffect(
    () => () => {
      if (avatar) URL.revokeObjectURL(avatar.url);
      if (background) URL.revokeObjectURL(background.url);
    },
    [avatar, background],
  );

  const pick =
    (key: "avatar" | "background", set: (p: Picked | null) => void) =>
    (event: ChangeEvent<HTMLInputElement>) => {
      const file = event.target.files?.[0];
      event.target.value = "";
      if (!file) return;
      let problem = "";
      if (!IMAGE_TYPES.includes(file.type)) problem = t("imageNotImage");
      else if (file.size > MAX_IMAGE) {
        problem = t("imageTooLarge", { size: formatBytes(file.size), max: formatBytes(MAX_IMAGE) });
      }
      setErrors((e) => ({ ...e, [key]: problem }));
      if (!problem) set({ file, url: URL.createObjectURL(file) });
    };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t("nameRequired");
    else if (charCount(name) > MAX_NAME) found.name = t("nameTooLong", { max: MAX_NAME });
    if (charCount(signature) > MAX_SIGNATURE)
      found.signature = t("signatureTooLong", { max: MAX_SIGNATURE });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const changes = {
      name: name.trim() === user.name ? undefined : name.trim(),
      signature: signature === user.signature ? undefined : signature,
      avatar: avatar?.file,
      background_image: background?.file,
    };
    const settingChanged =
      collectionsPublicWas !== null && collectionsPublic !== collectionsPublicWas;
    const profileChanged = !Object.values(changes).every((v) => v === undefined);
    if (!profileChanged && !settingChanged) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      if (settingChanged) {
        const r = await setCollectionsPublic(collectionsPublic);
        setCollectionsPublicWas(r.collections_public);
      }
      const updated = profileChanged ? (await updateProfile(changes)).user : user;
      toast(t("saved"));
      onSaved(updated);
    } catch (error) {
      if (error instanceof ApiError && error.reason === "USERNAME_TAKEN")
        setErrors({ name: t("nameTaken") });
      else setErrors({ form: errorText(error, t) });
    } finally {
      setSaving(false);
    }
  };

  const imageField = (
    key: "avatar" | "background",
    label: string,
    picked: Picked | null,
    current: string,
    set: (p: Picked | null) => void,
  ) => (
    <div className="field image-field">
      <label htmlFor={`edit-${key}`}>{label}</label>
      <div className="image-row">
        {picked || current ? (
          <img className={`thumb ${key}`} src={picked?.url ?? current} alt="" />
        ) : (
          <span className={`thumb ${key} empty`} aria-hidden="true" />
        )}
        <input
          id={`edit-${key}`}
          type="file"
          accept={IMAGE_TYPES.join(",")}
          onChange={pick(key, set)}
          aria-describedby={`edit-${key}-hint edit-${key}-error`}
        />
      </div>
      <p id={`edit-${key}-hint`} className="muted small">
        {t("imageHint", { max: formatBytes(MAX_IMAGE) })}
      </p>
      <p id={`edit-${key}-error`} className="field-error">
        {errors[key]}
      </p>
    </div>
  );

  return (
    <Dialog title={t("editTitle")} onClose={onClose} closeLabel={t("close")}>
      <form className="edit-form" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor="edit-name">{t("nameLabel")}</label>
          <input
            id="edit-name"
            data-autofocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby="edit-name-error"
          />
          <p id="edit-name-error" className="field-error">
            {errors.name}
          </p>
        </div>
        <div className="field">
          <label htmlFor="edit-signature">{t("signatureLabel")}</label>
          <input
            id="edit-signature"
            value={signature}
            onChange={(e) => setSignature(e.target.value)}
            aria-invalid={errors.signature ? true : undefined}
            aria-describedby="edit-signature-error"
          />
          <p id="edit-signature-error" className="field-error">
            {errors.signature}
          </p>
        </div>
        {imageField("avatar", t("avatarLabel"), avatar, user.avatar, setAvatar)}
        {imageField(
          "background",
          t("backgroundLabel"),
          background,
          user.background_image,
          setBackground,
        )}
        <div className="field">
          <label className="switch-field" htmlFor="edit-collections-public">
            <input
              id="edit-collections-public"
              type="checkbox"
              role="switch"
              checked={collectionsPublic}
              disabled={collectionsPublicWas === null}
              onChange={(e) => setCollectionsPublicShown(e.target.checked)}
              aria-describedby="edit-collections-public-hint"
              data-testid="collections-public"
            />
            {t("collectionsPublicLabel")}
          </label>
          <p id="edit-collections-public-hint" className="muted small">
            {t("collectionsPublicHint")}
          </p>
        </div>
        <p className="form-error" role="alert">
          {errors.form}
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
