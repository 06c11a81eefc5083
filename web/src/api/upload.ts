// POST /api/video/upload through XMLHttpRequest, because fetch() cannot report how many
// bytes of a request body have been sent and the progress bar shows exactly that.
import { ApiError, errorFrom, freshAccessToken, refreshTokens } from "./client";
import { getSession } from "./session";
import type { Media } from "./types";

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UploadHandle {
  done: Promise<Media>;
  abort: () => void;
}

function sendOnce(
  file: File,
  token: string | null,
  onProgress: (p: UploadProgress) => void,
  track: (xhr: XMLHttpRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    track(xhr);
    xhr.open("POST", "/api/video/upload");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "network error"));
    xhr.onabort = () => reject(new DOMException("upload cancelled", "AbortError"));
    const form = new FormData();
    form.set("data", file, file.name);
    xhr.send(form);
  });
}

export function uploadVideo(file: File, onProgress: (p: UploadProgress) => void): UploadHandle {
  let current: XMLHttpRequest | null = null;
  let aborted = false;
  const track = (xhr: XMLHttpRequest) => {
    current = xhr;
  };
  const done = (async () => {
    let result = await sendOnce(file, await freshAccessToken(), onProgress, track);
    if (
      result.status === 401 &&
      !aborted &&
      errorFrom(401, result.body).reason === "TOKEN_EXPIRED"
    ) {
      if (await refreshTokens()) {
        onProgress({ sent: 0, total: file.size });
        result = await sendOnce(file, getSession()?.accessToken ?? null, onProgress, track);
      }
    }
    if (result.status < 200 || result.status >= 300) throw errorFrom(result.status, result.body);
    return (JSON.parse(result.body) as { media: Media }).media;
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      (current as XMLHttpRequest | null)?.abort();
    },
  };
}
