#!/usr/bin/env bash
# Run a real Kubernetes control plane on loopback, without Docker:
#   etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok (fake nodes/pods).
# Binaries come from scripts/k8s/build.sh (run it first; `start` runs it if something is missing).
#
# Usage: scripts/k8s/cluster.sh start|stop|restart|status|env|restart-apiserver
#   restart-apiserver: stops kube-apiserver alone and starts it again (etcd and its data kept), for
#   fault tests of watches
#
# Environment (all optional):
#   PHASEKIT_RUN        run dir root (default /tmp/phasekit-run); state in $PHASEKIT_RUN/k8s
#   PHASEKIT_CACHE      build cache (default ~/.cache/phasekit), see build.sh
#   PHASEKIT_K8S_VERSION  (default: the one build.sh defaults to)
#   PHASEKIT_ETCD_PORT  etcd client port (default 12379; peer port = client port + 1)
#   PHASEKIT_K8S_PORT   kube-apiserver secure port (default 16443)
#   PHASEKIT_KCM_PORT   kube-controller-manager healthz port (default 16257)
#   PHASEKIT_SCHED_PORT kube-scheduler healthz port (default 16259)
#   PHASEKIT_KWOK_PORT  kwok healthz port (default 16080)
#   PHASEKIT_K8S_NODES  number of fake nodes (default 2), named kwok-node-0..N-1
#   PHASEKIT_K8S_NODE_CPU / _MEMORY / _GPU / _PODS  allocatable per node (32 / 256Gi / 8 / 110)
#   PHASEKIT_K8S_START_TIMEOUT  seconds to wait for each component (default 120)
#   PHASEKIT_K8S_NO_BUILD=1     never build; fail if binaries are missing
#   PHASEKIT_K8S_KEEP_ON_FAIL=1 leave processes running when start fails (default: stop them)
set -euo pipefail
shopt -s inherit_errexit

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
K8S_VERSION="${PHASEKIT_K8S_VERSION:-$(sed -n 's/^K8S_VERSION="\${PHASEKIT_K8S_VERSION:-\(.*\)}"$/\1/p' "$HERE/build.sh")}"
BIN="$CACHE/k8s-$K8S_VERSION/bin"
RUN="${PHASEKIT_RUN:-/tmp/phasekit-run}/k8s"
ETCD_PORT="${PHASEKIT_ETCD_PORT:-12379}"
ETCD_PEER_PORT="$((ETCD_PORT + 1))"
API_PORT="${PHASEKIT_K8S_PORT:-16443}"
KCM_PORT="${PHASEKIT_KCM_PORT:-16257}"
SCHED_PORT="${PHASEKIT_SCHED_PORT:-16259}"
KWOK_PORT="${PHASEKIT_KWOK_PORT:-16080}"
NODES="${PHASEKIT_K8S_NODES:-2}"
NODE_CPU="${PHASEKIT_K8S_NODE_CPU:-32}"
NODE_MEMORY="${PHASEKIT_K8S_NODE_MEMORY:-256Gi}"
NODE_GPU="${PHASEKIT_K8S_NODE_GPU:-8}"
NODE_PODS="${PHASEKIT_K8S_NODE_PODS:-110}"
TIMEOUT="${PHASEKIT_K8S_START_TIMEOUT:-120}"
SERVER="https://127.0.0.1:$API_PORT"
KUBECONFIG_FILE="$RUN/kubeconfig"
PKI="$RUN/pki"
LOGS="$RUN/logs"
PIDS="$RUN/pids"

# start order; stop goes in reverse
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf '[k8s] %s\n' "$*" >&2; }

fail() { # fail <component|-> <message>
  local comp="$1"; shift
  log "ERROR: $*"
  if [ "$comp" != "-" ] && [ -f "$LOGS/$comp.log" ]; then
    log "---- last 40 lines of $LOGS/$comp.log ----"
    tail -n 40 "$LOGS/$comp.log" >&2 || true
    log "----"
  fi
  if [ "${STARTING:-0}" = 1 ] && [ "${PHASEKIT_K8S_KEEP_ON_FAIL:-0}" != 1 ]; then
    STARTING=0
    log "stopping what was started (set PHASEKIT_K8S_KEEP_ON_FAIL=1 to keep it for debugging)"
    cmd_stop quiet
  fi
  exit 1
}

now_ms() { date +%s%3N; }

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" 2>/dev/null || true; }

# alive <component>: pid file exists, process lives and runs the expected binary
alive() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  local exe; exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  [ "${exe##*/}" = "$1" ] || [ "${exe##*/}" = "$1 (deleted)" ]
}

running() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && [ -d "/proc/$pid" ]; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

token() { cat "$RUN/admin.token"; }

api() { # api METHOD PATH [curl args...]
  local method="$1" path="$2"; shift 2
  # a curl User-Agent makes the apiserver pretty-print JSON; the greps below want compact JSON
  curl -sS --max-time 10 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(token)" \
    -A phasekit-cluster-sh -X "$method" "$SERVER$path" "$@"
}

have() { [ -x "$BIN/$1" ]; }

# spawn <component> <binary args...>: detached (own session), pid file written by the child
spawn() {
  local comp="$1"; shift
  : >"$LOGS/$comp.log"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDS/$comp.pid" "$@" \
    >>"$LOGS/$comp.log" 2>&1 </dev/null 8>&- &
  local i
  for i in $(seq 1 50); do [ -s "$PIDS/$comp.pid" ] && break; sleep 0.02; done
}

# wait_until <component> <description> <command...>: poll every 0.25 s up to $TIMEOUT s
wait_until() {
  local comp="$1" what="$2"; shift 2
  local deadline=$(($(date +%s) + TIMEOUT))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ "$comp" != "-" ] && ! running "$comp"; then
      fail "$comp" "$comp exited while waiting for: $what"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$comp" "timed out after ${TIMEOUT}s waiting for: $what"
    fi
    sleep 0.25
  done
}

ensure_binaries() {
  local missing=() required=()
  for b in "${COMPONENTS[@]}"; do have "$b" || missing+=("$b"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "${PHASEKIT_K8S_NO_BUILD:-0}" = 1 ]; then
    # kube-controller-manager / kube-scheduler are optional: run without them
    for b in etcd kube-apiserver kwok; do have "$b" || required+=("$b"); done
    [ "${#required[@]}" -eq 0 ] || fail - "missing binaries in $BIN: ${required[*]} (run scripts/k8s/build.sh)"
    return 0
  fi
  log "missing binaries (${missing[*]}): running build.sh (cold: ~10-15 min)"
  PHASEKIT_K8S_VERSION="$K8S_VERSION" "$HERE/build.sh" >&2 || fail - "build.sh failed"
}

# ---------------------------------------------------------------- one-time material per run dir
gen_material() {
  mkdir -p "$PKI" "$LOGS" "$PIDS"
  if [ ! -f "$RUN/admin.token" ]; then
    openssl rand -hex 24 >"$RUN/admin.token.tmp" && mv "$RUN/admin.token.tmp" "$RUN/admin.token"
    chmod 600 "$RUN/admin.token"
  fi
  printf '%s,phasekit-admin,phasekit-admin,"system:masters"\n' "$(token)" >"$RUN/tokens.csv"
  if [ ! -f "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  if [ ! -f "$PKI/ca.crt" ] || [ ! -f "$PKI/apiserver.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=phasekit-k8s-ca" \
      -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
      -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
    printf '%s\n' \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" "keyUsage=digitalSignature,keyEncipherment" >"$PKI/apiserver.ext"
    openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
      -CAcreateserial -days 3650 -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
  fi
  # kubeconfig is rewritten each start (the port may have changed)
  cat >"$KUBECONFIG_FILE.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: phasekit
  cluster:
    server: $SERVER
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: phasekit-admin
  user:
    token: $(token)
contexts:
- name: phasekit
  context:
    cluster: phasekit
    user: phasekit-admin
    namespace: default
current-context: phasekit
EOF
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  chmod 600 "$KUBECONFIG_FILE"
}

# ---------------------------------------------------------------- components
start_etcd() {
  rm -rf "$RUN/etcd-data"
  spawn etcd "$BIN/etcd" --name phasekit --data-dir "$RUN/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "phasekit=http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster-state new \
    --unsafe-no-fsync --log-level warn \
    --quota-backend-bytes $((2 * 1024 * 1024 * 1024))
  wait_until etcd "etcd /health" \
    bash -c "curl -sf --max-time 2 http://127.0.0.1:$ETCD_PORT/health | grep -q '\"health\":\"true\"'"
}

start_apiserver() {
  local admission=()
  # Without kube-controller-manager nobody creates the "default" ServiceAccount: pods would be
  # rejected by the ServiceAccount admission plugin.
  have kube-controller-manager || admission=(--disable-admission-plugins=ServiceAccount)
  spawn kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --requestheader-client-ca-file="$PKI/ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --token-auth-file="$RUN/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-issuer="$SERVER" \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --endpoint-reconciler-type=none \
    --allow-privileged=true \
    --profiling=false \
    "${admission[@]}"
  wait_until kube-apiserver "kube-apiserver /readyz" \
    bash -c "[ \"\$(curl -s --max-time 3 --cacert '$PKI/ca.crt' -H 'Authorization: Bearer $(token)' '$SERVER/readyz')\" = ok ]"
}

start_kcm() {
  have kube-controller-manager || { log "kube-controller-manager not built: skipped (no Jobs/ReplicaSets)"; return 0; }
  mkdir -p "$RUN/kcm-certs"
  spawn kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$KUBECONFIG_FILE" \
    --authentication-kubeconfig="$KUBECONFIG_FILE" \
    --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$RUN/kcm-certs" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --controllers='*' \
    --concurrent-job-syncs=10 \
    --node-monitor-period=1s \
    --profiling=false
  wait_until kube-controller-manager "kube-controller-manager /healthz" \
    bash -c "[ \"\$(curl -sk --max-time 3 https://127.0.0.1:$KCM_PORT/healthz)\" = ok ]"
}

start_scheduler() {
  have kube-scheduler || { log "kube-scheduler not built: skipped (pods must set spec.nodeName)"; return 0; }
  mkdir -p "$RUN/scheduler-certs"
  spawn kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$KUBECONFIG_FILE" \
    --authentication-kubeconfig="$KUBECONFIG_FILE" \
    --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$RUN/scheduler-certs" \
    --leader-elect=false \
    --profiling=false
  wait_until kube-scheduler "kube-scheduler /readyz" \
    bash -c "[ \"\$(curl -sk --max-time 3 https://127.0.0.1:$SCHED_PORT/readyz)\" = ok ]"
}

start_kwok() {
  local cfgs=() f
  for f in "$HERE"/stages/*.yaml; do cfgs+=(--config "$f"); done
  spawn kwok "$BIN/kwok" "${cfgs[@]}" \
    --kubeconfig="$KUBECONFIG_FILE" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr=10.244.0.0/16 --node-ip=10.240.0.1 \
    --node-lease-duration-seconds=40 \
    --server-address="127.0.0.1:$KWOK_PORT"
  wait_until kwok "kwok /healthz" \
    bash -c "curl -sf --max-time 2 http://127.0.0.1:$KWOK_PORT/healthz >/dev/null"
}

create_nodes() {
  local i name code
  for ((i = 0; i < NODES; i++)); do
    name="kwok-node-$i"
    code=$(api POST /api/v1/nodes -H 'Content-Type: application/json' -o "$RUN/node-create.out" \
      -w '%{http_code}' --data-binary @- <<EOF
{"apiVersion":"v1","kind":"Node",
 "metadata":{"name":"$name",
   "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
   "labels":{"type":"kwok","kubernetes.io/hostname":"$name","kubernetes.io/os":"linux",
     "kubernetes.io/arch":"amd64","node.kubernetes.io/instance-type":"phasekit-fake",
     "nvidia.com/gpu.present":"true"}},
 "spec":{},
 "status":{
   "allocatable":{"cpu":"$NODE_CPU","memory":"$NODE_MEMORY","pods":"$NODE_PODS","nvidia.com/gpu":"$NODE_GPU"},
   "capacity":{"cpu":"$NODE_CPU","memory":"$NODE_MEMORY","pods":"$NODE_PODS","nvidia.com/gpu":"$NODE_GPU"}}}
EOF
    ) || fail kube-apiserver "creating node $name failed (curl)"
    case "$code" in
      201 | 409) ;;
      *) fail kube-apiserver "creating node $name: HTTP $code $(cat "$RUN/node-create.out")" ;;
    esac
  done
}

nodes_ready() {
  # Ready=True (kwok) and no not-ready taint left (node-lifecycle controller removes it)
  local body ready
  body=$(api GET /api/v1/nodes) || return 1
  ready=$(printf '%s' "$body" | grep -o '"type":"Ready","status":"True"' | wc -l)
  [ "$ready" -ge "$NODES" ] || return 1
  if have kube-controller-manager; then
    ! printf '%s' "$body" | grep -q 'node.kubernetes.io/not-ready'
  fi
}

# ---------------------------------------------------------------- commands
all_up() {
  local c
  for c in "${COMPONENTS[@]}"; do
    case "$c" in
      kube-controller-manager | kube-scheduler) have "$c" || continue ;;
    esac
    alive "$c" || return 1
  done
}

cmd_start() {
  local t0; t0=$(now_ms)
  ensure_binaries
  mkdir -p "$RUN"
  exec 8>"$RUN/.start.lock"
  flock -w 300 8 || fail - "could not get $RUN/.start.lock within 300 s"
  if all_up && [ -f "$KUBECONFIG_FILE" ]; then
    log "already running (run dir $RUN)"
    return 0
  fi
  cmd_stop quiet
  STARTING=1
  local p
  for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" "$KCM_PORT" "$SCHED_PORT" "$KWOK_PORT"; do
    port_busy "$p" && fail - "port 127.0.0.1:$p is already in use (another cluster? set PHASEKIT_*_PORT)"
  done
  gen_material
  local t
  t=$(now_ms); start_etcd; log "etcd up ($(($(now_ms) - t)) ms)"
  t=$(now_ms); start_apiserver; log "kube-apiserver ready ($(($(now_ms) - t)) ms)"
  t=$(now_ms); start_kcm; have kube-controller-manager && log "kube-controller-manager healthy ($(($(now_ms) - t)) ms)"
  t=$(now_ms); start_scheduler; have kube-scheduler && log "kube-scheduler ready ($(($(now_ms) - t)) ms)"
  t=$(now_ms); start_kwok; log "kwok healthy ($(($(now_ms) - t)) ms)"
  t=$(now_ms); create_nodes
  wait_until kwok "$NODES fake node(s) Ready and untainted" nodes_ready
  log "$NODES node(s) ready ($(($(now_ms) - t)) ms)"
  if have kube-controller-manager; then
    # pods in "default" need its ServiceAccount (ServiceAccount admission)
    t=$(now_ms)
    wait_until kube-controller-manager "ServiceAccount default/default" \
      bash -c "curl -sf --max-time 3 --cacert '$PKI/ca.crt' -H 'Authorization: Bearer $(token)' '$SERVER/api/v1/namespaces/default/serviceaccounts/default' >/dev/null"
  fi
  STARTING=0
  log "cluster up in $(($(now_ms) - t0)) ms; KUBECONFIG=$KUBECONFIG_FILE"
}

cmd_stop() {
  local quiet="${1:-}" i c pid
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    c="${COMPONENTS[$i]}"
    if alive "$c"; then
      pid=$(pid_of "$c")
      kill -TERM "$pid" 2>/dev/null || true
      local n=0
      while [ -d "/proc/$pid" ] && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
      if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
      [ -z "$quiet" ] && log "stopped $c (pid $pid)"
    fi
    rm -f "$PIDS/$c.pid"
  done
  return 0
}

# Stops the apiserver alone (SIGTERM, SIGKILL after 3 s: its graceful shutdown waits for open
# watches) and starts it again on the same etcd: the data survives, every open watch breaks, and the
# new apiserver's watch cache starts at the current revision (so a watch from an older
# resourceVersion may get 410 Gone).
cmd_restart_apiserver() {
  alive etcd || fail - "etcd is not running: use '$0 start'"
  local pid t; pid=$(pid_of kube-apiserver)
  if alive kube-apiserver; then
    kill -TERM "$pid" 2>/dev/null || true
    local n=0
    while [ -d "/proc/$pid" ] && [ "$n" -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
    if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDS/kube-apiserver.pid"
  t=$(now_ms); start_apiserver; log "kube-apiserver restarted ($(($(now_ms) - t)) ms)"
}

cmd_status() {
  local c rc=0 pid
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then
      pid=$(pid_of "$c")
      printf '%-24s up    pid %-7s rss %s MiB\n' "$c" "$pid" \
        "$(($(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) / 1024))"
    elif [ "$c" != etcd ] && [ "$c" != kube-apiserver ] && [ "$c" != kwok ] && ! have "$c"; then
      printf '%-24s not built\n' "$c"
    else
      printf '%-24s down\n' "$c"; rc=1
    fi
  done
  if [ "$rc" = 0 ] && [ -f "$RUN/admin.token" ]; then
    if [ "$(curl -s --max-time 3 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(token)" "$SERVER/readyz")" = ok ]; then
      printf '%-24s ok    %s\n' "apiserver /readyz" "$SERVER"
    else
      printf '%-24s FAIL  %s\n' "apiserver /readyz" "$SERVER"; rc=1
    fi
  fi
  return "$rc"
}

cmd_env() {
  [ -f "$KUBECONFIG_FILE" ] || fail - "no kubeconfig in $RUN: run '$0 start' first"
  cat <<EOF
export KUBECONFIG=$KUBECONFIG_FILE
export PHASEKIT_K8S_SERVER=$SERVER
export PHASEKIT_K8S_TOKEN=$(token)
export PHASEKIT_K8S_CA=$PKI/ca.crt
export PHASEKIT_K8S_BIN=$BIN
export PHASEKIT_K8S_RUN=$RUN
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  env) cmd_env ;;
  restart-apiserver) cmd_restart_apiserver ;;
  *) echo "usage: $0 start|stop|restart|status|env|restart-apiserver" >&2; exit 2 ;;
esac
