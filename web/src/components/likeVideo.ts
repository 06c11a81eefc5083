// Liking from anywhere (rail button, double tap): the server's answer is the truth.
import { like } from "../api/endpoints";
import type { Video } from "../api/types";

export async function setLiked(video: Video, liked: boolean): Promise<Video> {
  const result = await like(video.id, liked);
  return { ...video, is_favorite: result.is_favorite, favorite_count: result.favorite_count };
}
