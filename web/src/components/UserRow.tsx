// One person in a list: avatar, name, bio, and a follow button.
import type { User } from "../api/types";
import { Link } from "../app/router";
import { useT } from "../i18n/i18n";
import { Avatar } from "./Avatar";
import { FollowButton } from "./FollowButton";

export function UserRow({ user, onChange }: { user: User; onChange: (u: User) => void }) {
  const t = useT();
  return (
    <li className="user-row">
      <Link to={`/u/${user.id}`} className="user-row-link">
        <Avatar user={user} size={48} />
        <span className="user-row-text">
          <span className="user-row-name">{user.name}</span>
          <span className="muted">
            {user.signature || t("noSignature")} · {t("followerCount")} {user.follower_count}
          </span>
        </span>
      </Link>
      <FollowButton
        userId={user.id}
        name={user.name}
        isFollow={user.is_follow}
        compact
        onChange={(isFollow) =>
          onChange({
            ...user,
            is_follow: isFollow,
            follower_count:
              user.follower_count + (isFollow === user.is_follow ? 0 : isFollow ? 1 : -1),
          })
        }
      />
    </li>
  );
}
