# shellcheck shell=bash
# What every engine of scripts/engines shares: processes, ports, secrets, stopping.

die() {
  echo "scripts/engines: $*" >&2
  exit 1
}

# True while process $1 runs: a zombie does not (kill -0 says it does). A server started
# here is reparented to init when this script exits, and a slow init leaves it a zombie for
# seconds after it exits, which made stop wait and start take it for a live server.
running() {
  local state
  state="$(sed -n 's/^State:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)" || return 1
  [ -n "${state}" ] && [ "${state#Z}" = "${state}" ]
}

# The port a server in DIR starts on: GIVEN when set, else the one DIR used before (unless
# another program took it while no server of DIR ran, by its pid file PIDFILE), else a free
# one; recorded in DIR/port. Usage: port="$(choose_port DIR GIVEN PIDFILE)"
choose_port() {
  local dir="$1" port="$2" pid_file="$3"
  if [ -z "${port}" ]; then
    port="$(cat "${dir}/port" 2>/dev/null || true)"
    # The port of an earlier run may have been taken since by another program.
    if [ -n "${port}" ] && ! pid_of "${dir}" "${pid_file}" >/dev/null && port_taken "${port}"; then
      port=""
    fi
  fi
  [ -n "${port}" ] || port="$(free_port)"
  echo "${port}" >"${dir}/port"
  echo "${port}"
}

# Waits up to 30 s for `CHECK DIR` (a function: exit 0 once the server answers) while the
# server we launched (PID, empty when it was already running) lives; on failure shows the
# end of LOG and dies naming NAME. Usage: await_answer NAME DIR PID LOG CHECK
await_answer() {
  local name="$1" dir="$2" pid="$3" log="$4" check="$5" waited=0
  until "${check}" "${dir}"; do
    if [ -n "${pid}" ] && ! running "${pid}"; then
      tail -n 5 "${log}" >&2 || true
      die "${name} in ${dir} exited: see ${log}"
    fi
    sleep 0.1
    waited=$((waited + 1))
    [ "${waited}" -lt 300 ] || die "${name} in ${dir} did not answer within 30 s: see ${log}"
  done
}

# The pid of the server running in DIR ($1), from its pid file ($2, default mysqld.pid).
pid_of() {
  local dir="$1" file="${2:-mysqld.pid}"
  [ -f "${dir}/${file}" ] || return 1
  local pid
  pid="$(cat "${dir}/${file}" 2>/dev/null)" || return 1
  [ -n "${pid}" ] && running "${pid}" && echo "${pid}"
}

# Another server listens there (a restart keeps its port unless so: the connections its
# clients left in TIME_WAIT do not stop it binding again).
port_taken() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# Any TCP socket on the port, listening or not: the local end of a connection holds it too.
port_in_use() {
  ss -Htan "sport = :$1" 2>/dev/null | grep -q .
}

# A port from 20000 up to below the kernel's ephemeral range: a port in that range may become
# the local end of an outgoing connection between our check and the server's bind.
free_port() {
  local port low=32768
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "${low}" -gt 21000 ] || low=60000
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % (low - 20000)))
    if ! port_in_use "${port}"; then
      echo "${port}"
      return 0
    fi
  done
  die "no free port found"
}

random_secret() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# stop DIR [SIGNAL [PIDFILE]]
stop() {
  local dir="$1" signal="${2:-TERM}" file="${3:-mysqld.pid}"
  local pid
  pid="$(pid_of "${dir}" "${file}")" || return 0
  kill "-${signal}" "${pid}" 2>/dev/null || true
  for _ in $(seq 1 300); do
    running "${pid}" || return 0
    sleep 0.1
  done
  kill -KILL "${pid}" 2>/dev/null || true
}
