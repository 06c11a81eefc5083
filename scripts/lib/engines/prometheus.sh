# shellcheck shell=bash
# Prometheus for scripts/engines: one server per DIR scraping the processes a file_sd targets
# file lists (scripts/cluster writes one), with reel's rules. Its configuration is
# deploy/prometheus/prometheus.yml with absolute paths, rewritten on every start.

PROMETHEUS_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../deploy/prometheus" && pwd)"

# Ready when /-/ready answers 200: Prometheus has loaded its configuration and rules and
# replayed its data (a port that merely accepts could be another program's).
prometheus_answers() {
  local dir="$1" code
  [ -f "${dir}/port" ] || return 1
  code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' \
    "http://127.0.0.1:$(cat "${dir}/port")/-/ready" 2>/dev/null)" || return 1
  [ "${code}" = 200 ]
}

# Escapes `|`, `&` and `\` for the replacement side of a sed s|...|...| command.
sed_replacement() {
  printf '%s' "$1" | sed 's/[|&\\]/\\&/g'
}

# prometheus_write_config DIR TARGETS INTERVAL: DIR/prometheus.yml from the repository's, with
# the targets file, the rules and the scrape and evaluation interval filled in. Dies when a
# line it rewrites is not in the source as written, rather than start on the wrong settings.
prometheus_write_config() {
  local dir="$1" targets="$2" interval="$3"
  local source="${PROMETHEUS_DEPLOY_DIR}/prometheus.yml" line
  for line in '^  scrape_interval: ' '^  evaluation_interval: ' '^  - rules/\*\.yml$' \
    '^          - targets/\*\.json$'; do
    grep -q "${line}" "${source}" || die "${source} has no line matching '${line}' to rewrite"
  done
  {
    echo "# Written by scripts/engines prometheus start from ${source}; rewritten on every start."
    sed -e "s|^  scrape_interval: .*|  scrape_interval: ${interval}|" \
      -e "s|^  evaluation_interval: .*|  evaluation_interval: ${interval}|" \
      -e "s|^  - rules/\*\.yml\$|  - $(sed_replacement "${PROMETHEUS_DEPLOY_DIR}")/rules/*.yml|" \
      -e "s|^          - targets/\*\.json\$|          - $(sed_replacement "${targets}")|" \
      "${source}"
  } >"${dir}/prometheus.yml.new"
  promtool check config "${dir}/prometheus.yml.new" >"${dir}/promtool.log" 2>&1 || {
    cat "${dir}/promtool.log" >&2
    die "the configuration written for ${dir} is not valid (see above)"
  }
  mv "${dir}/prometheus.yml.new" "${dir}/prometheus.yml"
}

prometheus_start() {
  local dir="" port="" targets="" interval="15s"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --targets) targets="$2"; shift 2 ;;
      --scrape-interval) interval="$2"; shift 2 ;;
      -*) die "unknown option $1 (prometheus)" ;;
      *) [ -z "${dir}" ] || die "one DIR only"; dir="$1"; shift ;;
    esac
  done
  [ -n "${dir}" ] || die "start needs a DIR"
  [[ "${interval}" =~ ^[0-9]+(ms|s|m)$ ]] || die "--scrape-interval: a duration like 15s, not '${interval}'"
  if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    die "prometheus is not installed (apt-get install prometheus)"
  fi
  mkdir -p "${dir}/data"
  chmod 700 "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if pid_of "${dir}" prometheus.pid >/dev/null && prometheus_answers "${dir}"; then
    return 0
  fi
  # No targets file yet (a cluster not started): an empty list, which file_sd rereads once
  # the cluster writes it.
  [ -n "${targets}" ] || targets="${dir}/targets.json"
  [ -f "${targets}" ] || echo '[]' >"${targets}"
  targets="$(cd "$(dirname "${targets}")" && pwd)/$(basename "${targets}")"
  port="$(choose_port "${dir}" "${port}" prometheus.pid)"
  prometheus_write_config "${dir}" "${targets}" "${interval}"
  # As for the other engines: redirected as a whole, so nothing left running holds the
  # caller's output open. Prometheus writes no pid file of its own.
  local pid=""
  if ! pid_of "${dir}" prometheus.pid >/dev/null; then
    setsid prometheus --config.file="${dir}/prometheus.yml" --storage.tsdb.path="${dir}/data" \
      --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:${port}" \
      </dev/null >>"${dir}/prometheus.log" 2>&1 &
    pid=$!
    echo "${pid}" >"${dir}/prometheus.pid"
  fi
  await_answer prometheus "${dir}" "${pid}" "${dir}/prometheus.log" prometheus_answers
}

prometheus_main() {
  [ $# -ge 2 ] || { usage >&2; exit 2; }
  local command="$1"
  shift
  case "${command}" in
    start) prometheus_start "$@" ;;
    # Prometheus flushes its head block on SIGTERM; common.sh's stop waits 30 s for that.
    stop) stop "$1" TERM prometheus.pid ;;
    kill) stop "$1" KILL prometheus.pid ;;
    status) prometheus_answers "$1" || exit 1 ;;
    *) usage >&2; exit 2 ;;
  esac
}
