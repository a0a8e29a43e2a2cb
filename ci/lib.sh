# Shared by the ci/ scripts: install what is missing, build, keep the tree
# reachable for the unprivileged user programs run as.
# shellcheck shell=bash

PROCLAB_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libyaml-dev liblua5.4-dev libfmt-dev libgtest-dev libcli11-dev nlohmann-json3-dev
  libpcre2-dev libpugixml-dev libarchive-dev python3 python3-yaml clang libclang-rt-14-dev clang-format clang-tidy
  zsh  # tests/install checks the generated zsh completion
  libpcre2-dev libpugixml-dev libarchive-dev python3 clang libclang-rt-14-dev clang-format clang-tidy
  # The HTML timeline's browser tests (tests/browser/) drive Debian's Chromium
  # over the DevTools pipe; the CJK fonts make Chinese output readable in it.
  chromium fonts-noto-cjk
)

log() { printf '== %s\n' "$*" >&2; }

ensure_packages() {
  local missing=() p
  for p in "${PROCLAB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ensure_configured DIR [CMAKE ARGS...]: configure a build folder once.
ensure_configured() {
  local dir=$1
  shift
  [ -f "$dir/build.ninja" ] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

# build DIR [TARGET...]: build incrementally, showing only what goes wrong.
build() {
  local dir=$1 rc
  shift
  set +e
  ninja -C "$dir" -j "${PROCLAB_BUILD_JOBS:-$(nproc)}" "$@" | grep -v '^\['
  rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}

# ensure_build DIR [CMAKE ARGS...]: configure once, then build everything.
ensure_build() {
  ensure_configured "$@"
  build "$1"
}

# As root, proclab runs programs as `nobody`. They must reach the tree: a
# checkout under /root (mode 700) would make every program fail with EACCES.
# Grant traverse-only permission (o+x, no listing) on the ancestors that lack it.
ensure_reachable() {
  [ "$(id -u)" -eq 0 ] || return 0
  local dir
  dir=$(pwd -P)
  while [ "$dir" != "/" ]; do
    if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$dir" 2>/dev/null; then
      log "notice: chmod o+x $dir so that programs under test (run as nobody) can reach the tree"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

setup() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  ensure_packages
  ensure_reachable
}
