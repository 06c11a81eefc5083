// The shell: navigation (a bottom bar on phones, a side bar on wide screens), the language
// switch, and the page for the current path.
import type { ReactNode } from "react";
import { useEffect } from "react";
import { useSessionUserId } from "./auth";
import { useIsModerator } from "./moderator";
import { Link, loginPath, match, navigate, useLocation } from "./router";
import { useI18n } from "../i18n/i18n";
import { AdminPage } from "../pages/AdminPage";
import { AuthPage } from "../pages/AuthPage";
import { ChatListPage } from "../pages/ChatListPage";
import { ChatPage } from "../pages/ChatPage";
import { FeedPage } from "../pages/FeedPage";
import { ProfilePage } from "../pages/ProfilePage";
import { RelationsPage } from "../pages/RelationsPage";
import { SearchPage } from "../pages/SearchPage";
import { UploadPage } from "../pages/UploadPage";
import { VideoPage } from "../pages/VideoPage";
import { Empty } from "../components/States";
import { Icon } from "../components/Icon";

function useId(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/// Sends a signed-out visitor to the login page, coming back here afterwards.
function RequireLogin({ children }: { children: ReactNode }) {
  const me = useSessionUserId();
  useEffect(() => {
    if (me === null) navigate(loginPath(), { replace: true });
  }, [me]);
  return me === null ? null : <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Empty>
      {t("notFoundTitle")} · <Link to="/">{t("goHome")}</Link>
    </Empty>
  );
}

function Page({ path }: { path: string }) {
  const me = useSessionUserId();
  let m: Record<string, string> | null;
  if (path === "/") return <FeedPage />;
  if (path === "/login") return <AuthPage key="login" mode="login" />;
  if (path === "/register") return <AuthPage key="register" mode="register" />;
  if (path === "/search") return <SearchPage />;
  if (path === "/upload")
    return (
      <RequireLogin>
        <UploadPage />
      </RequireLogin>
    );
  if (path === "/chat")
    return (
      <RequireLogin>
        <ChatListPage />
      </RequireLogin>
    );
  if (path === "/admin")
    return (
      <RequireLogin>
        <AdminPage />
      </RequireLogin>
    );
  if (path === "/me") {
    if (me !== null) return <Redirect to={`/u/${me}`} />;
    return <RequireLogin>{null}</RequireLogin>;
  }
  if ((m = match("/v/:id", path)))
    return <IdPage raw={m.id} render={(id) => <VideoPage key={id} id={id} />} />;
  if ((m = match("/u/:id", path)))
    return <IdPage raw={m.id} render={(id) => <ProfilePage key={id} id={id} />} />;
  if ((m = match("/u/:id/following", path))) {
    return (
      <IdPage raw={m.id} render={(id) => <RelationsPage key={`f${id}`} id={id} type="follow" />} />
    );
  }
  if ((m = match("/u/:id/followers", path))) {
    return (
      <IdPage
        raw={m.id}
        render={(id) => <RelationsPage key={`r${id}`} id={id} type="follower" />}
      />
    );
  }
  if ((m = match("/chat/:id", path))) {
    return (
      <RequireLogin>
        <IdPage raw={m.id} render={(id) => <ChatPage key={id} id={id} />} />
      </RequireLogin>
    );
  }
  return <NotFound />;
}

function IdPage({ raw, render }: { raw: string; render: (id: number) => ReactNode }) {
  const id = useId(raw);
  return id === null ? <NotFound /> : <>{render(id)}</>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const me = useSessionUserId();
  const moderator = useIsModerator();
  const { path } = useLocation();
  const immersive = path === "/" || path.startsWith("/v/");
  const items = [
    { to: "/", label: t("navHome"), icon: "home" as const, active: path === "/" },
    { to: "/search", label: t("navSearch"), icon: "search" as const, active: path === "/search" },
    {
      to: "/upload",
      label: t("navUpload"),
      icon: "plus" as const,
      active: path === "/upload",
      accent: true,
    },
    {
      to: "/chat",
      label: t("navMessages"),
      icon: "message" as const,
      active: path.startsWith("/chat"),
    },
    me === null
      ? { to: loginPath(), label: t("navLogin"), icon: "user" as const, active: path === "/login" }
      : { to: `/u/${me}`, label: t("navMe"), icon: "user" as const, active: path === `/u/${me}` },
    // issue 16: the moderation page, for moderators only.
    ...(moderator
      ? [
          {
            to: "/admin",
            label: t("navModeration"),
            icon: "flag" as const,
            active: path === "/admin",
          },
        ]
      : []),
  ];
  return (
    <div className={`shell ${immersive ? "immersive" : ""}`}>
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <nav className="nav" aria-label="Reel">
        <Link to="/" className="brand" aria-label={t("appName")}>
          Reel
        </Link>
        <ul>
          {items.map((item) => (
            <li key={item.label}>
              <Link
                to={item.to}
                className={`nav-item ${item.accent ? "accent" : ""}`}
                aria-current={item.active ? "page" : undefined}
              >
                <span className="nav-icon">
                  <Icon name={item.icon} size={22} />
                </span>
                <span className="nav-label">{item.label}</span>
              </Link>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="lang-switch"
          onClick={() => setLang(lang === "zh" ? "en" : "zh")}
          aria-label={t("switchLanguageLabel")}
          data-testid="lang-switch"
        >
          {t("switchLanguage")}
        </button>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </div>
  );
}
