#!/usr/bin/env bash
# Run the orchestrator's key-value store: a single-member etcd on loopback, its own instance on its
# own ports (never the one behind kube-apiserver), from the binary scripts/k8s/build.sh builds
# (`build.sh etcd` builds that one alone, from the Go module proxy; no Docker).
#
# Usage: scripts/etcd/store.sh start|stop|restart|status|env
#   start    start etcd unless this script's etcd already runs; the data dir is KEPT across stops
#            and starts (the store is durable); `PHASEKIT_ETCD_STORE_FRESH=1` wipes it first
#   stop     TERM, then KILL after 10 s; idempotent
#   restart  stop, then start on the same data
#   status   "running <endpoint> pid <pid>" (exit 0) or "stopped" (exit 3)
#   env      prints `export PHASEKIT_ETCD_ENDPOINTS=...` for eval
#
# Environment (all optional):
#   PHASEKIT_CACHE            build cache (default ~/.cache/phasekit), see scripts/k8s/build.sh
#   PHASEKIT_RUN              run dir root (default /tmp/phasekit-run); state in $PHASEKIT_RUN/etcd-store
#   PHASEKIT_ETCD_STORE_PORT  client port on 127.0.0.1 (default 22379; peer port = client port + 1)
#   PHASEKIT_ETCD_STORE_WAIT  seconds to wait for /health (default 60)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
K8S_VERSION="${PHASEKIT_K8S_VERSION:-$(sed -n 's/^K8S_VERSION="\${PHASEKIT_K8S_VERSION:-\(.*\)}"$/\1/p' "$HERE/../k8s/build.sh")}"
BIN="$CACHE/k8s-$K8S_VERSION/bin/etcd"
RUN="${PHASEKIT_RUN:-/tmp/phasekit-run}/etcd-store"
PORT="${PHASEKIT_ETCD_STORE_PORT:-22379}"
PEER_PORT="$((PORT + 1))"
WAIT="${PHASEKIT_ETCD_STORE_WAIT:-60}"
ENDPOINT="http://127.0.0.1:$PORT"
PID_FILE="$RUN/etcd.pid"
LOG_FILE="$RUN/etcd.log"

log() { printf '[etcd-store] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  [ -f "$LOG_FILE" ] && { log "---- last 30 lines of $LOG_FILE ----"; tail -n 30 "$LOG_FILE" >&2 || true; }
  exit 1
}

pid() { [ -f "$PID_FILE" ] && cat "$PID_FILE" 2>/dev/null || true; }
alive() {
  local p; p=$(pid)
  [ -n "$p" ] && [ -d "/proc/$p" ] && [ "$(basename "$(readlink "/proc/$p/exe" 2>/dev/null || true)")" = etcd ]
}
healthy() { curl -sf --max-time 2 "$ENDPOINT/health" | grep -q '"health":"true"'; }

cmd_start() {
  mkdir -p "$RUN"
  exec 8>"$RUN/.lock"
  flock -w 120 8 || die "could not get $RUN/.lock"
  if alive && healthy; then log "already running at $ENDPOINT"; echo "$ENDPOINT"; return 0; fi
  cmd_stop quiet
  if [ ! -x "$BIN" ]; then
    log "no etcd binary at $BIN: building it (scripts/k8s/build.sh etcd)"
    "$HERE/../k8s/build.sh" etcd >&2 || die "scripts/k8s/build.sh etcd failed"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port 127.0.0.1:$PORT is already in use (set PHASEKIT_ETCD_STORE_PORT)"
  fi
  [ "${PHASEKIT_ETCD_STORE_FRESH:-0}" = 1 ] && rm -rf "$RUN/data"
  local state=new
  [ -d "$RUN/data/member" ] && state=existing
  : >"$LOG_FILE"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" "$BIN" \
    --name phasekit-store --data-dir "$RUN/data" \
    --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "phasekit-store=http://127.0.0.1:$PEER_PORT" \
    --initial-cluster-state "$state" \
    --log-level warn >>"$LOG_FILE" 2>&1 </dev/null 8>&- &
  local deadline=$(($(date +%s) + WAIT))
  until healthy; do
    alive || [ ! -s "$PID_FILE" ] || die "etcd exited while starting"
    [ "$(date +%s)" -lt "$deadline" ] || die "etcd not healthy at $ENDPOINT after ${WAIT}s"
    sleep 0.2
  done
  log "etcd store up at $ENDPOINT (data $RUN/data)"
  echo "$ENDPOINT"
}

cmd_stop() {
  local p; p=$(pid)
  if alive; then
    kill -TERM "$p" 2>/dev/null || true
    local n=0
    while [ -d "/proc/$p" ] && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    [ -d "/proc/$p" ] && kill -KILL "$p" 2>/dev/null || true
    [ -z "${1:-}" ] && log "stopped (pid $p)"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) if alive && healthy; then echo "running $ENDPOINT pid $(pid)"; else echo stopped; exit 3; fi ;;
  env) echo "export PHASEKIT_ETCD_ENDPOINTS=$ENDPOINT" ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
