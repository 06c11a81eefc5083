#!/usr/bin/env bash
# Upload throughput of `reel all` on loopback, against copying the same bytes on the same
# disk (the floor for any upload that lands on disk), measured in the same run.
#   bench/upload_bench.sh [MiB]     (default 200)
# Prints MB/s for streaming a large body through the upload route, and the time to
# publish a real 10 MB clip end to end (upload + validate + cover + faststart) and again
# (identical bytes: deduplicated). Needs build/reel (scripts/test or scripts/run builds it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ROOT}/build/reel"
SIZE_MIB="${1:-200}"
[ -x "$BIN" ] || { echo "build/reel is missing: run scripts/test first" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg is missing (apt-get install ffmpeg)" >&2; exit 1; }

WORK="$(mktemp -d)"
PORT=$((20000 + RANDOM % 20000))
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

REEL_MEDIA_MAX_UPLOAD_BYTES=$(((SIZE_MIB + 16) << 20)) REEL_RATE_LIMIT_ENABLED=false \
  REEL_LOG_LEVEL=warn "$BIN" all --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
URL="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$URL/douyin/user/register/?username=bench&password=benchpass" |
  sed 's/.*"token":"\([^"]*\)".*/\1/')

head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/body.bin"
ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=20 \
  -c:v libx264 -preset veryfast -b:v 4M -maxrate 4M -bufsize 8M "$WORK/clip.mp4"

seconds() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }

best_upload=0 best_copy=0
for _ in 1 2 3; do
  # Random bytes stream through the spool and are then refused as not a video.
  t=$(curl -s -o /dev/null -w '%{time_total}' -F "data=@$WORK/body.bin" -F "token=$TOKEN" \
    -F "title=bench" "$URL/douyin/publish/action/")
  r=$(rate "$((SIZE_MIB << 20))" "$t"); [ "$r" -gt "$best_upload" ] && best_upload=$r
  start=$(seconds); cp "$WORK/body.bin" "$WORK/copy.bin"; end=$(seconds); rm -f "$WORK/copy.bin"
  r=$(rate "$((SIZE_MIB << 20))" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
  [ "$r" -gt "$best_copy" ] && best_copy=$r
done

publish() {
  curl -s -o "$WORK/publish.json" -w '%{time_total}' -F "data=@$WORK/clip.mp4" -F "token=$TOKEN" \
    -F "title=clip" "$URL/douyin/publish/action/"
}
first=$(publish); grep -q '"status_code":0' "$WORK/publish.json" || { cat "$WORK/publish.json"; exit 1; }
again=$(publish)
clip_mb=$(awk -v b="$(stat -c %s "$WORK/clip.mp4")" 'BEGIN { printf "%.1f", b / 1048576 }')

printf '| measurement | value |\n|---|---|\n'
printf '| upload %d MiB through /douyin/publish/action (best of 3) | %s MB/s |\n' "$SIZE_MIB" "$best_upload"
printf '| reference: cp of the same bytes on the same disk (best of 3) | %s MB/s |\n' "$best_copy"
printf '| ratio upload / cp | %s |\n' "$(awk -v a="$best_upload" -v b="$best_copy" 'BEGIN { printf "%.2f", a / b }')"
printf '| publish a %s MB 720p clip (upload + validate + cover + faststart) | %.0f ms |\n' "$clip_mb" "$(awk -v t="$first" 'BEGIN { print t * 1000 }')"
printf '| publish the same clip again (deduplicated) | %.0f ms |\n' "$(awk -v t="$again" 'BEGIN { print t * 1000 }')"
