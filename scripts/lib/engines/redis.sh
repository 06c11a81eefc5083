# shellcheck shell=bash
# Redis for scripts/engines: one redis-server per DIR, its settings in DIR/redis.conf.

# The password clients give, as DIR set it up: the password file, else the redis.conf of a
# first start that was interrupted before writing it. Empty when DIR has neither.
redis_known_secret() {
  local dir="$1" secret
  secret="$(cat "${dir}/password" 2>/dev/null || true)"
  [ -n "${secret}" ] || secret="$(sed -n 's/^requirepass "\(.*\)"$/\1/p' "${dir}/redis.conf" 2>/dev/null || true)"
  echo "${secret}"
}

# redis_cli DIR ARG...: redis-cli logged in; the password travels in the environment, not on
# the command line where ps shows it. Bounded: a stopped (SIGSTOP) server must not hang it.
redis_cli() {
  local dir="$1"
  shift
  local port
  port="$(cat "${dir}/port" 2>/dev/null)" || die "no Redis set up in ${dir}"
  REDISCLI_AUTH="$(redis_known_secret "${dir}")" timeout 5 redis-cli -h 127.0.0.1 -p "${port}" "$@"
}

# PONG, not a reachable port: a server still loading its data answers commands with LOADING.
redis_answers() {
  [ -f "$1/port" ] && [ "$(redis_cli "$1" PING 2>/dev/null)" = PONG ]
}

redis_start() {
  local dir="" port="" durable=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --durable) durable=1; shift ;;
      -*) die "unknown option $1 (redis)" ;;
      *) [ -z "${dir}" ] || die "one DIR only"; dir="$1"; shift ;;
    esac
  done
  [ -n "${dir}" ] || die "start needs a DIR"
  mkdir -p "${dir}/data"
  chmod 700 "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if pid_of "${dir}" redis.pid >/dev/null && redis_answers "${dir}" && [ -f "${dir}/password" ]; then
    return 0
  fi
  port="$(choose_port "${dir}" "${port}" redis.pid)"
  # The same secret across restarts: clients keep the password they were given.
  local secret
  secret="$(redis_known_secret "${dir}")"
  [ -n "${secret}" ] || secret="$(random_secret)"
  local persistence='save ""
appendonly no'
  if [ "${durable}" = 1 ]; then
    # The event bus lives here: an XADD that answered is on disk, so a killed server loses
    # no event whose outbox row the relay has already deleted.
    persistence='save ""
appendonly yes
appendfsync always'
  fi
  (
    umask 077
    cat >"${dir}/redis.conf" <<EOF
# Written by scripts/engines redis start; rewritten on every start.
bind 127.0.0.1
protected-mode yes
port ${port}
daemonize no
pidfile "${dir}/redis.pid"
logfile "${dir}/redis.log"
dir "${dir}/data"
requirepass "${secret}"
${persistence}
EOF
  )
  # As for mariadbd: redirected as a whole, so that nothing left running holds the caller's
  # output open (ctest would wait for it until the fixture's timeout).
  local pid=""
  if ! pid_of "${dir}" redis.pid >/dev/null; then
    rm -f "${dir}/redis.pid"
    setsid redis-server "${dir}/redis.conf" </dev/null >>"${dir}/redis.log" 2>&1 &
    pid=$!
  fi
  await_answer redis-server "${dir}" "${pid}" "${dir}/redis.log" redis_answers
  # Last, as for MariaDB: its presence means the set-up is done.
  [ -f "${dir}/password" ] || (umask 077 && echo "${secret}" >"${dir}/password")
}
