# shellcheck shell=bash
# MariaDB for scripts/engines: a primary or a GTID replica in a directory of its own.

mariadb_sql() {
  local dir="$1"
  shift
  mariadb --no-defaults --protocol=socket --socket="${dir}/mysqld.sock" -uroot -N -B -e "$*"
}

# A query, not `mariadb-admin ping`: ping calls a server alive even while it refuses logins
# (still starting, or access denied), and the set-up that follows would then fail.
mariadb_answers() {
  mariadb --no-defaults --protocol=socket --socket="$1/mysqld.sock" -uroot \
    --connect-timeout=2 -N -B -e "SELECT 1" >/dev/null 2>&1
}

# A new data directory. Two installations at once (the suite's fixtures start together)
# failed now and then at bootstrap, their temporary tables meeting in /tmp: each server gets
# a temporary directory of its own, installations run one at a time on this machine, and a
# failed one is tried again.
mariadb_install_data() {
  local dir="$1" attempt
  mkdir -p "${dir}/tmp"
  for attempt in 1 2 3; do
    rm -rf "${dir}/data"
    if TMPDIR="${dir}/tmp" flock "${TMPDIR:-/tmp}/reel-mariadb-install.lock" \
      mariadb-install-db --no-defaults --datadir="${dir}/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"${dir}/install.log" 2>&1; then
      return 0
    fi
    echo "scripts/engines: mariadb-install-db failed (try ${attempt} of 3):" >&2
    grep -v '^$' "${dir}/install.log" | head -15 >&2
    sleep 0.5
  done
  die "mariadb-install-db failed: see ${dir}/install.log"
}

mariadb_start() {
  local dir="" port="" port_given=0 primary="" durable=0 server_id=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; port_given=1; shift 2 ;;
      --replica-of) primary="$2"; shift 2 ;;
      --durable) durable=1; shift ;;
      --server-id) server_id="$2"; shift 2 ;;
      -*) die "unknown option $1" ;;
      *) [ -z "${dir}" ] || die "one DIR only"; dir="$1"; shift ;;
    esac
  done
  [ -n "${dir}" ] || die "start needs a DIR"
  if [ -n "${primary}" ]; then
    [ -f "${primary}/port" ] && [ -f "${primary}/repl_password" ] ||
      die "${primary} is not a primary started by this script"
    primary="$(cd "${primary}" && pwd)"
  fi
  mkdir -p "${dir}"
  chmod 700 "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if pid_of "${dir}" >/dev/null && mariadb_answers "${dir}" && [ -f "${dir}/password" ]; then
    return 0
  fi
  port="$(choose_port "${dir}" "${port}" mysqld.pid)"
  [ -n "${server_id}" ] || server_id=$([ -n "${primary}" ] && echo 2 || echo 1)
  [ -d "${dir}/data/mysql" ] || mariadb_install_data "${dir}"
  mkdir -p "${dir}/tmp"
  local flush=2 sync=0
  if [ "${durable}" = 1 ]; then flush=1; sync=1; fi
  local attempt launched log_size waited
  for attempt in 1 2 3; do
    local args=(
      --no-defaults --user="$(id -un)" --datadir="${dir}/data" --socket="${dir}/mysqld.sock"
      --pid-file="${dir}/mysqld.pid" --log-error="${dir}/mysqld.log" --tmpdir="${dir}/tmp"
      --bind-address=127.0.0.1 --port="${port}" --skip-name-resolve
      --server-id="${server_id}" --log-bin="${dir}/data/binlog" --binlog-format=ROW
      --log-slave-updates --gtid-strict-mode=1 --expire-logs-days=1
      --innodb-flush-log-at-trx-commit="${flush}" --sync-binlog="${sync}"
      --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --performance-schema=OFF
      --max-connections=2000 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
      --transaction-isolation=READ-COMMITTED --skip-symbolic-links
    )
    [ -n "${primary}" ] && args+=(--read-only=1)
    # A server may already run here, half set up by a start that was interrupted.
    # Redirected as a whole: no process left behind may hold the caller's output open (ctest
    # waits for a test's output to close, so a held pipe turns the start into a timeout).
    launched=""
    log_size="$(stat -c %s "${dir}/mysqld.log" 2>/dev/null || echo 0)"
    if ! pid_of "${dir}" >/dev/null; then
      setsid mariadbd "${args[@]}" </dev/null >>"${dir}/mysqld.log" 2>&1 &
      launched=$!
    fi
    waited=0
    until mariadb_answers "${dir}"; do
      sleep 0.1
      waited=$((waited + 1))
      if [ -n "${launched}" ] && ! running "${launched}"; then
        # Another program took the port between the check and the bind (tests pick free
        # ports concurrently): try another one, unless that port was asked for.
        if [ "${port_given}" = 0 ] && [ "${attempt}" -lt 3 ] &&
          tail -c "+$((log_size + 1))" "${dir}/mysqld.log" | grep -q "Address already in use"; then
          port="$(free_port)"
          echo "${port}" >"${dir}/port"
          continue 2
        fi
        tail -20 "${dir}/mysqld.log" >&2
        die "mariadbd in ${dir} exited at start: see ${dir}/mysqld.log"
      fi
      [ "${waited}" -lt 300 ] ||
        { tail -20 "${dir}/mysqld.log" >&2; die "mariadbd in ${dir} did not answer within 30 s: see ${dir}/mysqld.log"; }
    done
    break
  done
  # Set up once: the password file is written last, so its presence means done, and a start
  # interrupted before it repeats the (idempotent) set-up.
  [ -f "${dir}/password" ] && return 0
  if [ -z "${primary}" ]; then
    local secret repl_secret
    secret="$(random_secret)"
    repl_secret="$(random_secret)"
    # `reel` may do what services do (their own databases, tables and rows) but not bypass
    # read_only: a write sent to a replica by mistake fails instead of forking the data.
    mariadb_sql "${dir}" "
      CREATE OR REPLACE USER 'reel'@'127.0.0.1' IDENTIFIED BY '${secret}';
      GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, REFERENCES,
            CREATE TEMPORARY TABLES, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR
        ON *.* TO 'reel'@'127.0.0.1';
      CREATE OR REPLACE USER 'repl'@'127.0.0.1' IDENTIFIED BY '${repl_secret}';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
    (umask 077 && echo "${repl_secret}" >"${dir}/repl_password" && echo "${secret}" >"${dir}/password")
  else
    mariadb_sql "${dir}" "
      STOP SLAVE;
      CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(cat "${primary}/port"),
        MASTER_USER='repl', MASTER_PASSWORD='$(cat "${primary}/repl_password")',
        MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
      START SLAVE;"
    # Ready once replication has brought the primary's users over.
    waited=0
    until [ "$(mariadb_sql "${dir}" "SELECT COUNT(*) FROM mysql.user WHERE user='reel'")" = 1 ]; do
      sleep 0.1
      waited=$((waited + 1))
      [ "${waited}" -lt 300 ] || die "the replica in ${dir} did not catch up within 30 s"
    done
    (umask 077 && cp "${primary}/password" "${dir}/password")
  fi
}
