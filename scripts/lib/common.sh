# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not executed.

REEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REEL_BUILD_DIR="${REEL_ROOT}/build"

# Debian packages needed to build and run reel.
REEL_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libboost-dev libfmt-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libprotoc-dev
  libsodium-dev libspdlog-dev libyaml-cpp-dev libcli11-dev rapidjson-dev libsqlite3-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libxapian-dev
  libcurl4-openssl-dev libmimalloc-dev libmariadb-dev libhiredis-dev librdkafka-dev prometheus-cpp-dev
)
# The local cluster's edge (scripts/cluster, and the test command, which runs the e2e suite
# against a cluster). Not for ./scripts/run: `reel all` needs no proxy.
# `--engines` runs the services on real servers: MariaDB (a primary and a replica) and
# Redis (redis-server brings redis-cli, which scripts/engines uses), and Prometheus
# (prometheus brings promtool) scraping every process's /metrics.
REEL_CLUSTER_PACKAGES=(nginx iproute2 mariadb-server mariadb-client redis-server prometheus)
# The fuzz targets (scripts/fuzz): clang, its libFuzzer and sanitizer runtimes
# (libclang-rt-dev: clang does not depend on it) and llvm-symbolizer (llvm) for readable stacks.
REEL_FUZZ_PACKAGES=(clang libclang-rt-dev llvm)
# Extra packages the tests need. Chromium is large and slow to install, so only the test
# command asks for it (the browser tests drive it through playwright-core); the font lets
# their screenshots show the Chinese interface as text rather than boxes. The etcd
# discovery tests start a real etcd (etcd-server); the store tests a real MariaDB
# (mariadb-server, started once per run by scripts/engines); the Redis client's tests a
# real redis-server (the same way). The observability tests run promtool and a real
# Prometheus (prometheus).
REEL_TEST_PACKAGES=(
  libgtest-dev libgmock-dev libcurl4-openssl-dev ffmpeg chromium fonts-wqy-zenhei etcd-server
  mariadb-server mariadb-client redis-server prometheus
  "${REEL_FUZZ_PACKAGES[@]}"
)

REEL_WEB_DIR="${REEL_ROOT}/web"
REEL_WEB_TESTS_DIR="${REEL_ROOT}/tests/web"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the given Debian packages that are not installed yet. Checking costs one dpkg
# query, so a machine that has everything pays well under a second.
ensure_packages() {
  local missing=()
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures the build tree once (Ninja, ccache via CMakeLists) and builds the targets.
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (as CI makes)
# reuses what an earlier build compiled.
build_targets() {
  export CCACHE_BASEDIR="${REEL_ROOT}" CCACHE_NOHASHDIR=1
  if [ ! -f "${REEL_BUILD_DIR}/build.ninja" ]; then
    log "configuring ${REEL_BUILD_DIR}"
    cmake -S "${REEL_ROOT}" -B "${REEL_BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DREEL_WERROR=ON >/dev/null
  fi
  log "building ${*:-everything}"
  ninja -C "${REEL_BUILD_DIR}" "$@"
}

# Node.js and npm build the web client. The machine image ships Node 20 (Vite 7 needs
# 20.19+); Debian's own nodejs and npm are the fallback on a machine without any.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# True when `stamp` is missing or something under the other paths is newer than it.
is_stale() {
  local stamp="$1"
  shift
  [ -e "$stamp" ] || return 0
  [ -n "$(find "$@" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

# Installs a directory's npm packages, as package-lock.json pins them, when its node_modules
# is missing or older than the lock. Not `npm ci`: npm 11 refuses a lock that records only
# this platform's optional packages (rollup's native builds), which is what it writes when
# the lock omits registry URLs; `install --no-save` follows the lock and never rewrites it.
ensure_node_modules() {
  local dir="$1"
  local stamp="${dir}/node_modules/.reel-installed"
  if [ ! -e "$stamp" ] || [ "${dir}/package-lock.json" -nt "$stamp" ]; then
    log "installing npm packages in ${dir#"${REEL_ROOT}"/}"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}

# Builds web/dist (served by `reel all` at /) when it is missing or older than its sources.
build_web_client() {
  ensure_node
  ensure_node_modules "${REEL_WEB_DIR}"
  # Both pages: the app (index.html) and the API docs (api-docs.html, served at /api/docs).
  if [ ! -f "${REEL_WEB_DIR}/dist/api-docs.html" ] ||
    is_stale "${REEL_WEB_DIR}/dist/index.html" "${REEL_WEB_DIR}/src" "${REEL_WEB_DIR}/public" \
      "${REEL_WEB_DIR}/index.html" "${REEL_WEB_DIR}/api-docs.html" "${REEL_WEB_DIR}"/package*.json \
      "${REEL_WEB_DIR}/vite.config.ts" "${REEL_WEB_DIR}/tsconfig.json"; then
    log "building the web client"
    (cd "${REEL_WEB_DIR}" && npm run --silent build)
  fi
}
