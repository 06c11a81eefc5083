# shellcheck shell=bash
# S3 for scripts/engines: s3rver (an S3 API server in Node) for the tests and the local cluster.

S3RVER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../tools/s3rver" && pwd)"

s3_pid_of() {
  local dir="$1"
  [ -f "${dir}/s3rver.pid" ] || return 1
  local pid
  pid="$(cat "${dir}/s3rver.pid" 2>/dev/null)" || return 1
  [ -n "${pid}" ] && kill -0 "${pid}" 2>/dev/null && echo "${pid}"
}

# Ready when the bucket answers a HEAD (s3rver creates it before it listens, but a port that
# merely accepts could be another program's).
s3_answers() {
  local dir="$1"
  [ -f "${dir}/port" ] && [ -f "${dir}/bucket" ] || return 1
  local code
  code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' -I \
    "http://127.0.0.1:$(cat "${dir}/port")/$(cat "${dir}/bucket")" 2>/dev/null)" || return 1
  [ "${code}" = 200 ]
}

s3_start() {
  local dir="" port="" bucket="reel"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --bucket) bucket="$2"; shift 2 ;;
      -*) die "unknown option $1" ;;
      *) [ -z "${dir}" ] || die "one DIR only"; dir="$1"; shift ;;
    esac
  done
  [ -n "${dir}" ] || die "start needs a DIR"
  mkdir -p "${dir}/data"
  chmod 700 "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if s3_pid_of "${dir}" >/dev/null && s3_answers "${dir}" && [ -f "${dir}/credentials" ]; then
    return 0
  fi
  # Installs s3rver as tools/s3rver/package-lock.json pins it, once.
  # shellcheck source=../common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
  ensure_node
  ensure_node_modules "${S3RVER_DIR}" >&2
  if [ -z "${port}" ]; then
    port="$(cat "${dir}/port" 2>/dev/null || true)"
    if [ -n "${port}" ] && ! s3_pid_of "${dir}" >/dev/null && port_taken "${port}"; then port=""; fi
  fi
  [ -n "${port}" ] || port="$(free_port)"
  echo "${port}" >"${dir}/port"
  echo "${bucket}" >"${dir}/bucket"
  # Redirected as a whole, as mariadbd is: ctest waits for a test's output to close.
  if ! s3_pid_of "${dir}" >/dev/null; then
    setsid node "${S3RVER_DIR}/node_modules/s3rver/bin/s3rver.js" --directory "${dir}/data" \
      --address 127.0.0.1 --port "${port}" --configure-bucket "${bucket}" \
      </dev/null >>"${dir}/s3rver.log" 2>&1 &
    echo $! >"${dir}/s3rver.pid"
  fi
  local waited=0
  until s3_answers "${dir}"; do
    s3_pid_of "${dir}" >/dev/null || die "s3rver in ${dir} exited: see ${dir}/s3rver.log"
    sleep 0.1
    waited=$((waited + 1))
    [ "${waited}" -lt 300 ] || die "s3rver in ${dir} did not answer within 30 s: see ${dir}/s3rver.log"
  done
  # s3rver knows one account, S3RVER/S3RVER, and refuses other access keys.
  (umask 077 && printf 'access_key=S3RVER\nsecret_key=S3RVER\nregion=us-east-1\n' >"${dir}/credentials")
}

s3_stop() {
  local dir="$1" signal="${2:-TERM}"
  local pid
  pid="$(s3_pid_of "${dir}")" || return 0
  kill "-${signal}" "${pid}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "${pid}" 2>/dev/null || { rm -f "${dir}/s3rver.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "${pid}" 2>/dev/null || true
  rm -f "${dir}/s3rver.pid"
}

s3_main() {
  [ $# -ge 2 ] || { usage >&2; exit 2; }
  local command="$1"
  shift
  case "${command}" in
    start) s3_start "$@" ;;
    stop) s3_stop "$1" ;;
    kill) s3_stop "$1" KILL ;;
    status) s3_answers "$1" ;;
    *) usage >&2; exit 2 ;;
  esac
}
