// Log in and sign up: the same form, checked as the server will check it before sending,
// and the server's refusals in words (wrong password, name taken, too many tries).
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, storeTokens } from "../api/client";
import { login, register } from "../api/endpoints";
import { errorText } from "../app/errors";
import { charCount } from "../app/format";
import { Link, navigate, useLocation } from "../app/router";
import { useT } from "../i18n/i18n";
import type { Translate } from "../i18n/i18n";

const MAX_NAME = 32;
const MIN_PASSWORD = 6;
const MAX_PASSWORD = 32;

interface Fields {
  username: string;
  password: string;
  confirm: string;
}

type Errors = Partial<Record<keyof Fields | "form", string>>;

export function validate(fields: Fields, signUp: boolean, t: Translate): Errors {
  const errors: Errors = {};
  const name = fields.username;
  if (name.trim() === "") errors.username = t("usernameRequired");
  else if (charCount(name) > MAX_NAME) errors.username = t("usernameTooLong", { max: MAX_NAME });
  else if (name.trim() !== name) errors.username = t("usernameSpaces");
  const length = charCount(fields.password);
  if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
    errors.password = t("passwordLength", { min: MIN_PASSWORD, max: MAX_PASSWORD });
  }
  if (signUp && fields.confirm !== fields.password) errors.confirm = t("passwordMismatch");
  return errors;
}

// Only same-site paths: a crafted ?next= must not send anyone elsewhere.
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function AuthPage({ mode }: { mode: "login" | "register" }) {
  const t = useT();
  const { query } = useLocation();
  const signUp = mode === "register";
  const [fields, setFields] = useState<Fields>({ username: "", password: "", confirm: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const next = safeNext(query.get("next"));
  const nextQuery = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;

  const set = (key: keyof Fields) => (value: string) => {
    const updated = { ...fields, [key]: value };
    setFields(updated);
    if (touched) setErrors(validate(updated, signUp, t));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const found = validate(fields, signUp, t);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = (["username", "password", "confirm"] as const).find((k) => found[k]);
      if (first) document.getElementById(`auth-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const tokens = signUp
        ? await register(fields.username, fields.password)
        : await login(fields.username, fields.password);
      storeTokens(tokens);
      navigate(next, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.reason === "USERNAME_TAKEN") {
        setErrors({ username: t("usernameTaken") });
      } else if (error instanceof ApiError && error.status === 401) {
        setErrors({ form: t("badCredentials") });
      } else {
        setErrors({ form: errorText(error, t) });
      }
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Fields, label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={`auth-${key}`}>{label}</label>
      <input
        id={`auth-${key}`}
        name={key}
        type={type}
        value={fields[key]}
        onChange={(e) => set(key)(e.target.value)}
        autoComplete={autoComplete}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={`auth-${key}-error`}
      />
      <p id={`auth-${key}-error`} className="field-error">
        {errors[key]}
      </p>
    </div>
  );

  const passwordType = showPassword ? "text" : "password";
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{signUp ? t("registerTitle") : t("loginTitle")}</h1>
        {field("username", t("usernameLabel"), "text", "username")}
        {field(
          "password",
          t("passwordLabel"),
          passwordType,
          signUp ? "new-password" : "current-password",
        )}
        {signUp && field("confirm", t("confirmPasswordLabel"), passwordType, "new-password")}
        <label className="check">
          <input
            type="checkbox"
            checked={showPassword}
            onChange={(e) => setShowPassword(e.target.checked)}
          />
          {t("showPassword")}
        </label>
        <p className="form-error" role="alert">
          {errors.form}
        </p>
        <button type="submit" className="button primary wide" disabled={busy}>
          {signUp ? t("registerButton") : t("loginButton")}
        </button>
        <p className="muted center">
          {signUp ? t("haveAccount") : t("noAccount")}{" "}
          <Link to={`${signUp ? "/login" : "/register"}${nextQuery}`} replace>
            {signUp ? t("goLogin") : t("goRegister")}
          </Link>
        </p>
      </form>
    </div>
  );
}
