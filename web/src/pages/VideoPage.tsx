// One video by its share link (/v/:id), in the same full-screen player as the feed.
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { deleteVideo, getVideo } from "../api/endpoints";
import type { Video } from "../api/types";
import { useSessionUserId } from "../app/auth";
import { errorText, isAbort } from "../app/errors";
import { navigate } from "../app/router";
import { Empty, ErrorBox, Loading } from "../components/States";
import { useToast } from "../components/Toast";
import { VideoFeed } from "../components/VideoFeed";
import { useT } from "../i18n/i18n";
import { EditVideoDialog } from "./EditVideoDialog";

export function VideoPage({ id }: { id: number }) {
  const t = useT();
  const toast = useToast();
  const me = useSessionUserId();
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    getVideo(id, abort.signal)
      .then((r) => setVideo(r.video))
      .catch((e) => !isAbort(e) && setError(e));
    return () => abort.abort();
  }, [id, me, attempt]);

  const update = useCallback((v: Video) => setVideo(v), []);
  const back = () => (window.history.length > 1 ? window.history.back() : navigate("/"));
  const remove = async () => {
    if (!video || !window.confirm(t("confirmDeleteVideo"))) return;
    try {
      await deleteVideo(video.id);
      navigate(`/u/${video.author.id}`, { replace: true });
    } catch (e) {
      toast(errorText(e, t));
    }
  };

  return (
    <div className="feed-page">
      <div className="video-bar">
        <button type="button" className="button secondary small" onClick={back}>
          ← {t("back")}
        </button>
        {video && me === video.author.id && (
          <button type="button" className="button secondary small" onClick={() => setEditing(true)}>
            {t("editVideo")}
          </button>
        )}
        {video && me === video.author.id && (
          <button type="button" className="button danger small" onClick={remove}>
            {t("deleteVideo")}
          </button>
        )}
      </div>
      <div className="feed-panel">
        {error instanceof ApiError && error.status === 404 ? (
          <Empty>{t("videoNotFound")}</Empty>
        ) : error ? (
          <ErrorBox error={error} onRetry={() => setAttempt((a) => a + 1)} />
        ) : video ? (
          <VideoFeed
            videos={[video]}
            hasMore={false}
            loading={false}
            onNeedMore={() => undefined}
            onUpdate={update}
          />
        ) : (
          <Loading />
        )}
      </div>
      {editing && video && (
        <EditVideoDialog video={video} onClose={() => setEditing(false)} onSaved={update} />
      )}
    </div>
  );
}
