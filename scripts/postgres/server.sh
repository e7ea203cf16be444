#!/usr/bin/env bash
# Run the query view's database: a PostgreSQL server from Debian's packages on loopback, with a data
# directory of its own (never the system cluster's), owned by the `postgres` user (PostgreSQL refuses
# to run as root). Installs the `postgresql` package with apt-get when no server binary is found.
#
# Usage: scripts/postgres/server.sh start|stop|restart|status|env
#   start    install if needed, initdb on first use, start, create the role and database; the data
#            dir is KEPT across stops (the view is durable); PHASEKIT_POSTGRES_FRESH=1 wipes it first
#   stop     pg_ctl stop -m fast; idempotent
#   restart  stop, then start on the same data
#   status   "running <url>" (exit 0) or "stopped" (exit 3)
#   env      prints `export PHASEKIT_POSTGRES_URL=...` for eval
#
# The server trusts connections from 127.0.0.1 only (a test server on loopback; put a password and
# TLS on anything else).
#
# Environment (all optional):
#   PHASEKIT_RUN            run dir root (default /tmp/phasekit-run); state in $PHASEKIT_RUN/postgres
#   PHASEKIT_POSTGRES_PORT  port on 127.0.0.1 (default 15432)
#   PHASEKIT_POSTGRES_WAIT  seconds to wait for the server (default 60)
set -euo pipefail

RUN="${PHASEKIT_RUN:-/tmp/phasekit-run}/postgres"
PORT="${PHASEKIT_POSTGRES_PORT:-15432}"
WAIT="${PHASEKIT_POSTGRES_WAIT:-60}"
DATA="$RUN/data"
LOG_FILE="$RUN/postgres.log"
ROLE=phasekit
DB=phasekit
URL="postgres://$ROLE@127.0.0.1:$PORT/$DB"

log() { printf '[postgres] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  [ -f "$LOG_FILE" ] && { log "---- last 30 lines of $LOG_FILE ----"; tail -n 30 "$LOG_FILE" >&2 || true; }
  exit 1
}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
  [ -n "$(bindir)" ] && return 0
  [ "$(id -u)" = 0 ] || die "no PostgreSQL server found and not root: install Debian's postgresql package"
  log "installing PostgreSQL from Debian's packages (apt-get install -y postgresql)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; } ||
    die "apt-get install postgresql failed"
  [ -n "$(bindir)" ] || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
}

ready() { "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; }
running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

cmd_start() {
  install_server
  local bin; bin=$(bindir)
  mkdir -p "$RUN"
  exec 8>"$RUN/.lock"
  flock -w 120 8 || die "could not get $RUN/.lock"
  if running && ready; then log "already running at $URL"; echo "$URL"; return 0; fi
  [ "${PHASEKIT_POSTGRES_FRESH:-0}" = 1 ] && rm -rf "$DATA"
  id postgres >/dev/null 2>&1 || die "no postgres user (the postgresql package creates it)"
  chown postgres "$RUN"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$RUN/initdb.log" 2>&1 || { cat "$RUN/initdb.log" >&2; die "initdb failed"; }
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
    chown postgres "$DATA/pg_hba.conf"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port 127.0.0.1:$PORT is already in use (set PHASEKIT_POSTGRES_PORT)"
  fi
  touch "$LOG_FILE" && chown postgres "$LOG_FILE"
  as_postgres "$bin/pg_ctl" -D "$DATA" -l "$LOG_FILE" -w -t "$WAIT" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $RUN -c max_connections=200" start >&2 8>&- ||
    die "pg_ctl start failed"
  local deadline=$(($(date +%s) + WAIT))
  until ready; do
    [ "$(date +%s)" -lt "$deadline" ] || die "PostgreSQL not ready on 127.0.0.1:$PORT after ${WAIT}s"
    sleep 0.2
  done
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1)
  [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = 1 ] ||
    "${psql[@]}" -c "CREATE ROLE $ROLE LOGIN" >&2
  [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ] ||
    "${psql[@]}" -c "CREATE DATABASE $DB OWNER $ROLE" >&2
  log "PostgreSQL up at $URL (data $DATA)"
  echo "$URL"
}

cmd_stop() {
  local bin; bin=$(bindir || true)
  [ -n "$bin" ] && [ -f "$DATA/postmaster.pid" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) if [ -n "$(bindir || true)" ] && running && ready; then echo "running $URL"; else echo stopped; exit 3; fi ;;
  env) echo "export PHASEKIT_POSTGRES_URL=$URL" ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
