// A round picture of a person, or their initial on a colour of their own when they have none.
import type { User } from "../api/types";

interface Props {
  user: Pick<User, "id" | "name" | "avatar">;
  size?: number;
}

export function Avatar({ user, size = 40 }: Props) {
  const style = { width: size, height: size, fontSize: size * 0.45 };
  if (user.avatar) {
    return <img className="avatar" src={user.avatar} alt="" style={style} loading="lazy" />;
  }
  const hue = (user.id * 47) % 360;
  return (
    <span
      className="avatar avatar-letter"
      aria-hidden="true"
      style={{ ...style, background: `hsl(${hue} 55% 45%)` }}
    >
      {Array.from(user.name)[0]?.toUpperCase() ?? "?"}
    </span>
  );
}
