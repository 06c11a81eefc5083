# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not executed.

REEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REEL_BUILD_DIR="${REEL_ROOT}/build"

# Debian packages needed to build and run reel.
REEL_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libboost-dev libfmt-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libsodium-dev libspdlog-dev libyaml-cpp-dev libcli11-dev rapidjson-dev libsqlite3-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libxapian-dev
)
# Extra packages the tests need.
REEL_TEST_PACKAGES=(
  libgtest-dev libgmock-dev libcurl4-openssl-dev ffmpeg
)

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
