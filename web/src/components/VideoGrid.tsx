// Covers in a grid of 9:16 boxes: the box is sized before the picture arrives, so nothing
// moves while covers load.
import type { Video } from "../api/types";
import { Link } from "../app/router";
import { formatCount } from "../app/format";
import { useI18n } from "../i18n/i18n";
import { VideoBadges } from "./VideoBadges";

export function VideoGrid({ videos }: { videos: Video[] }) {
  const { lang } = useI18n();
  return (
    <ul className="video-grid">
      {videos.map((v) => (
        <li key={v.id}>
          <Link to={`/v/${v.id}`} className="video-tile" aria-label={v.title}>
            <span className="aspect">
              {v.cover_url && <img src={v.cover_url} alt="" loading="lazy" />}
            </span>
            <span className="tile-title">{v.title}</span>
            <VideoBadges video={v} />
            <span className="tile-likes" aria-hidden="true">
              ♥ {formatCount(v.favorite_count, lang)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
