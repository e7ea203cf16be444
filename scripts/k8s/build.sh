#!/usr/bin/env bash
# Build a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) and kwok from the Go module proxy, without Docker.
#
# Everything (binaries, GOPATH, module cache, build cache) lives under
#   ${PHASEKIT_CACHE:-$HOME/.cache/phasekit}
# and binaries land in  $CACHE/k8s-<k8s version>/bin . Already-built binaries are skipped,
# so a warm run takes well under a second.
#
# Usage: scripts/k8s/build.sh [component...]
#   components: etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl
#   default:    etcd kube-apiserver kube-controller-manager kube-scheduler kwok
#   (kubectl is opt-in, only for debugging; or set PHASEKIT_K8S_KUBECTL=1)
# Env overrides: PHASEKIT_K8S_VERSION (1.36.4), PHASEKIT_ETCD_VERSION (3.6.16),
#   PHASEKIT_KWOK_VERSION (0.8.0), PHASEKIT_GO_P (parallelism for go build, default 2),
#   PHASEKIT_K8S_FORCE=1 (rebuild even if present).
# Prints the bin dir as the last line of stdout ("bin: <dir>").
set -euo pipefail
shopt -s inherit_errexit

CACHE="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
K8S_VERSION="${PHASEKIT_K8S_VERSION:-1.36.4}"
ETCD_VERSION="${PHASEKIT_ETCD_VERSION:-3.6.16}"
KWOK_VERSION="${PHASEKIT_KWOK_VERSION:-0.8.0}"
GO_P="${PHASEKIT_GO_P:-2}"
FORCE="${PHASEKIT_K8S_FORCE:-0}"

ROOT="$CACHE/k8s-$K8S_VERSION"
BIN="$ROOT/bin"
WORK="$ROOT/work"
mkdir -p "$BIN" "$WORK" "$CACHE/go"

export GOTOOLCHAIN=local
export GOPATH="$CACHE/go"
export GOMODCACHE="$CACHE/go/pkg/mod"
export GOCACHE="$CACHE/go/cache"
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0
export GOBIN="$BIN"
unset GOWORK || true

log() { printf '[k8s-build] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found on PATH"

if [ "$#" -gt 0 ]; then
  COMPONENTS=("$@")
else
  COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
  [ "${PHASEKIT_K8S_KUBECTL:-0}" = 1 ] && COMPONENTS+=(kubectl)
fi

# One build at a time per cache dir (two test runs starting together must not race).
exec 9>"$ROOT/.build.lock"
flock 9

want_version() {
  case "$1" in
    etcd) echo "etcd v$ETCD_VERSION" ;;
    kwok) echo "kwok v$KWOK_VERSION" ;;
    *) echo "$1 v$K8S_VERSION" ;;
  esac
}

is_built() {
  local name="$1"
  [ "$FORCE" != 1 ] && [ -x "$BIN/$name" ] && [ -f "$BIN/.$name.stamp" ] &&
    [ "$(cat "$BIN/.$name.stamp")" = "$(want_version "$name")" ]
}

# Run a command, report wall time (and peak RSS of the biggest child if /usr/bin/time exists).
timed() {
  local label="$1"; shift
  local t0 t1 tf rss=""
  t0=$(date +%s)
  if [ -x /usr/bin/time ]; then
    tf=$(mktemp)
    if ! /usr/bin/time -f '%M' -o "$tf" "$@"; then rm -f "$tf"; die "$label failed"; fi
    rss=$(tail -n1 "$tf" 2>/dev/null || true); rm -f "$tf"
  else
    "$@" || die "$label failed"
  fi
  t1=$(date +%s)
  if [ -n "$rss" ]; then
    log "TIMING $label: $((t1 - t0))s (peak RSS $((rss / 1024)) MiB)"
  else
    log "TIMING $label: $((t1 - t0))s"
  fi
}

stamp() { want_version "$1" >"$BIN/.$1.stamp"; }

# ---------------------------------------------------------------- etcd
build_etcd() {
  local d="$WORK/etcd-$ETCD_VERSION"
  mkdir -p "$d"
  if [ ! -f "$d/.ready" ]; then
    rm -f "$d/go.mod" "$d/go.sum"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$d/tools.go"
    (cd "$d" && go mod init local/etcdbuild >/dev/null 2>&1 &&
      timed "etcd: go get (module download)" go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" &&
      timed "etcd: go mod tidy" go mod tidy)
    touch "$d/.ready"
  fi
  (cd "$d" && timed "etcd: go build" go build -p "$GO_P" -trimpath -ldflags='-s -w' \
    -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv -f "$BIN/etcd.tmp" "$BIN/etcd"
}

# ---------------------------------------------------------------- kubernetes wrapper module
# k8s.io/kubernetes requires its ~30 staging modules at v0.0.0 and replaces them with
# ./staging/...; replace directives of a dependency are ignored, so the wrapper module
# replaces each staging module with its published v0.<minor>.<patch> tag.
k8s_module() {
  local d="$WORK/kubernetes"
  mkdir -p "$d"
  if [ -f "$d/.ready" ]; then echo "$d"; return; fi
  local staging="v0.${K8S_VERSION#1.}"
  rm -f "$d/go.mod" "$d/go.sum"
  cat >"$d/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
  (
    cd "$d"
    go mod init local/k8sbuild >/dev/null 2>&1
    local gomod json
    json=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" || true)
    gomod=$(printf '%s\n' "$json" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@v$K8S_VERSION: $json"
    local mods n=0
    mods=$(grep -E '^\s+k8s\.io/[^ ]+ v0\.0\.0$' "$gomod" | awk '{print $1}')
    [ -n "$mods" ] || die "no v0.0.0 staging requires found in $gomod"
    local args=()
    for m in $mods; do args+=("-replace=$m=$m@$staging"); n=$((n + 1)); done
    go mod edit "${args[@]}"
    go mod edit -require="k8s.io/kubernetes@v$K8S_VERSION"
    log "kubernetes: pinned $n staging modules to $staging"
    timed "kubernetes: go mod tidy (module download)" go mod tidy
  ) >&2
  touch "$d/.ready"
  echo "$d"
}

k8s_ldflags() {
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  local date="2000-01-01T00:00:00Z"
  local f="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f="$f -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    f="$f -X $pkg.gitTreeState=clean -X $pkg.gitCommit=phasekit-proxy-build -X $pkg.buildDate=$date"
  done
  echo "$f"
}

build_k8s() {
  local name="$1" d
  d=$(k8s_module) || exit 1
  (cd "$d" && timed "$name: go build" go build -p "$GO_P" -trimpath -ldflags="$(k8s_ldflags)" \
    -o "$BIN/$name.tmp" "k8s.io/kubernetes/cmd/$name")
  mv -f "$BIN/$name.tmp" "$BIN/$name"
}

# ---------------------------------------------------------------- kwok
build_kwok() {
  # kwok has no replace directives: go install works directly.
  local d="$WORK/kwok-$KWOK_VERSION"
  mkdir -p "$d"
  (cd "$d" && GOFLAGS=-buildvcs=false timed "kwok: go install (download+build)" \
    go install -p "$GO_P" -trimpath \
    -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" \
    "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION")
}

T_ALL0=$(date +%s)
for c in "${COMPONENTS[@]}"; do
  if is_built "$c"; then
    log "$c: up to date ($(want_version "$c"))"
    continue
  fi
  log "$c: building $(want_version "$c") ..."
  t0=$(date +%s)
  case "$c" in
    etcd) build_etcd ;;
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl) build_k8s "$c" ;;
    kwok) build_kwok ;;
    *) die "unknown component: $c" ;;
  esac
  stamp "$c"
  log "TIMING $c total: $(($(date +%s) - t0))s"
done
log "TIMING all: $(($(date +%s) - T_ALL0))s"
echo "bin: $BIN"
