#!/usr/bin/env bash
# Run a real single-node Apache Kafka 4.x broker (KRaft, broker+controller in one JVM) on loopback,
# without Docker. The jars come from Maven Central through scripts/kafka/pom.xml.
#
# Usage: scripts/kafka/broker.sh start|stop|restart|status|wait|logs [-f]
#
#   start   fetch the jars (first run only), wipe and format a fresh data dir, start the broker,
#           wait until it answers a real metadata request, print the bootstrap address.
#           A broker this script started earlier is stopped first (every start is a clean broker).
#   stop    TERM, then KILL after PHASEKIT_KAFKA_STOP_TIMEOUT seconds. Idempotent.
#   restart stop, then start again on the same data (topics, records and offsets kept); prints
#           the bootstrap address. For fault tests: a broker that goes away mid-run.
#   status  prints "running <bootstrap> pid <pid>" (exit 0) or "stopped" (exit 3).
#   wait    waits for an already started broker to be ready (same check as start).
#   logs    prints the last PHASEKIT_KAFKA_LOG_LINES (100) lines of the broker log; "logs -f" follows.
#
# Environment (all optional):
#   PHASEKIT_CACHE              cache root (default: $HOME/.cache/phasekit); jars go to kafka-<version>/libs
#   PHASEKIT_RUN                run root (default: /tmp/phasekit-run); broker state goes to kafka/
#   PHASEKIT_KAFKA_VERSION      Kafka version from Maven Central (default: 4.4.0)
#   PHASEKIT_KAFKA_PORT         PLAINTEXT port on 127.0.0.1 (default: 19092)
#   PHASEKIT_KAFKA_CONTROLLER_PORT  KRaft CONTROLLER port on 127.0.0.1 (default: 19093)
#   PHASEKIT_KAFKA_WAIT         seconds to wait for readiness (default: 90)
#   PHASEKIT_KAFKA_STOP_TIMEOUT seconds between TERM and KILL (default: 30)
#   PHASEKIT_KAFKA_HEAP_OPTS    JVM heap options (default: -Xms256m -Xmx512m)
#   JAVA_HOME                   if set, $JAVA_HOME/bin/java is used instead of java from PATH
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

KAFKA_VERSION="${PHASEKIT_KAFKA_VERSION:-4.4.0}"
LOG4J_VERSION="2.25.3"
CACHE_ROOT="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
KAFKA_HOME="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
M2_REPO="$CACHE_ROOT/maven-repo"
RUN_DIR="${PHASEKIT_RUN:-/tmp/phasekit-run}/kafka"
DATA_DIR="$RUN_DIR/data"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/kafka.log"
PORT="${PHASEKIT_KAFKA_PORT:-19092}"
CONTROLLER_PORT="${PHASEKIT_KAFKA_CONTROLLER_PORT:-19093}"
HOST=127.0.0.1
BOOTSTRAP="$HOST:$PORT"
WAIT_SECS="${PHASEKIT_KAFKA_WAIT:-90}"
STOP_TIMEOUT="${PHASEKIT_KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${PHASEKIT_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Short-lived helper JVMs (storage format, readiness probe): C1 only and the serial GC start
# ~0.7 s faster each on 2 cores. The broker itself keeps the default JIT and G1.
TOOL_JVM_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------

require_java() {
  command -v "$JAVA" >/dev/null 2>&1 \
    || die "java not found ('$JAVA'). Kafka $KAFKA_VERSION needs Java 17 or newer (Debian: apt-get install -y openjdk-17-jdk-headless)."
  local line first second major
  # First line looks like: openjdk version "17.0.15" 2025-04-15   (or "1.8.0_392" for Java 8)
  line="$("$JAVA" -version 2>&1 | head -n 1)"
  IFS=. read -r first second _ <<<"$(printf '%s\n' "$line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
  # Java 8 and older report "1.x": the real major is the second number.
  if [ "$first" = 1 ]; then major="$second"; else major="${first%%[!0-9]*}"; fi
  [[ "$major" =~ ^[0-9]+$ ]] || die "cannot parse the Java version from: $line"
  [ "$major" -ge 17 ] \
    || die "Java $major found ($line), but the Kafka $KAFKA_VERSION broker needs Java 17 or newer."
}

# Fetch the broker jars once into $LIBS. The '.complete' marker is written last, so an interrupted
# download is redone on the next run instead of leaving a half-filled libs dir that looks cached.
ensure_libs() {
  if [ -f "$LIBS/.complete" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 \
    || die "the Kafka jars are not cached in $LIBS and mvn is not installed (Debian: apt-get install -y maven)."
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (first run only)"
  mkdir -p "$KAFKA_HOME" "$M2_REPO"
  local tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  # -B -ntp: no progress noise. The private maven repo keeps the cache self-contained (and does
  # not touch ~/.m2). mvn's output goes to a log that is shown only when it fails.
  local mvn_log="$KAFKA_HOME/mvn.log"
  if ! mvn -B -ntp -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" \
      -Dmaven.repo.local="$M2_REPO" \
      -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    tail -n 40 "$mvn_log" >&2
    rm -rf "$tmp"
    die "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is Maven Central reachable? does the version exist?), full log: $mvn_log"
  fi
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  touch "$tmp/.complete"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  log "cached $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $LIBS"
}

# A tiny Java readiness probe: a real Admin client describeCluster (a Metadata request) against the
# PLAINTEXT listener. Exit 0 when our node 1 is listed and a controller is known. It is compiled once
# into the cache (the single-file source launcher would recompile it on every attempt). Without a
# JDK (javac) the wait falls back to the log line plus an open port.
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
PROBE_MODE=class
ensure_probe() {
  local dir="$KAFKA_HOME/probe"
  [ -f "$dir/.complete" ] && return 0
  if ! command -v "$JAVAC" >/dev/null 2>&1; then
    log "no javac (JRE only): readiness = 'Kafka Server started' + open port, without a metadata request"
    PROBE_MODE=none
    return 0
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  write_probe_source "$dir"
  "$JAVAC" -nowarn -d "$dir" -cp "$LIBS/*" "$dir/KafkaReadyProbe.java" >&2 || die "could not compile the readiness probe"
  touch "$dir/.complete"
}

write_probe_source() {
  cat > "$1/KafkaReadyProbe.java" <<'JAVA'
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

public class KafkaReadyProbe {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(p)) {
      DescribeClusterResult r = admin.describeCluster();
      String clusterId = r.clusterId().get(5, TimeUnit.SECONDS);
      Node controller = r.controller().get(5, TimeUnit.SECONDS);
      boolean self = r.nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == 1);
      if (!self || controller == null || controller.isEmpty()) {
        System.err.println("not ready: node 1 listed=" + self + " controller=" + controller);
        System.exit(2);
      }
      System.out.println("ready: cluster " + clusterId);
    } catch (Exception e) {
      System.err.println("not ready: " + e);
      System.exit(1);
    }
  }
}
JAVA
}

run_probe() {
  [ "$PROBE_MODE" = none ] && return 0
  # Quiet logging for the probe's own JVM; 'timeout' bounds a probe that hangs.
  local cfg="-Dlog4j2.configurationFile=$RUN_DIR/log4j2-tools.properties"
  # shellcheck disable=SC2086  # $TOOL_JVM_OPTS and $cfg are unquoted on purpose (flag lists)
  timeout 20 "$JAVA" -Xmx64m $TOOL_JVM_OPTS $cfg -cp "$KAFKA_HOME/probe:$LIBS/*" KafkaReadyProbe "$BOOTSTRAP"
}

# ---------------------------------------------------------------------------------------------
# Process helpers
# ---------------------------------------------------------------------------------------------

# Prints the pid from the pid file when that process is alive AND is our broker. Checking the
# command line avoids killing an unrelated process that got the same pid after a reboot or crash.
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $RUN_DIR/server.properties" || return 1
  printf '%s\n' "$pid"
}

port_open() {
  # bash's /dev/tcp: a plain TCP connect, no extra tools needed. 'timeout' bounds a stuck connect.
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

tail_log() {
  log "last 40 lines of $LOG_FILE:"
  tail -n 40 "$LOG_FILE" >&2 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Config files
# ---------------------------------------------------------------------------------------------

write_configs() {
  cat > "$RUN_DIR/server.properties" <<EOF
# Generated by scripts/kafka/broker.sh: single-node KRaft broker for tests. Do not edit: rewritten on start.
process.roles=broker,controller
node.id=1
# A static voter set: 'kafka-storage format -t ID -c FILE' then needs neither --standalone nor
# --initial-controllers.
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

# One node: every internal topic must have replication factor 1 / min ISR 1, or the group,
# transaction and share coordinators never become available.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer partitions for internal topics than the default 50: less to create and load on 2 cores.
offsets.topic.num.partitions=8
transaction.state.log.num.partitions=8
share.coordinator.state.topic.num.partitions=8
default.replication.factor=1
min.insync.replicas=1
num.partitions=1

# Tests create their topics through the admin API, so a typo in a topic name fails loudly.
auto.create.topics.enable=false
# The first consumer of a group does not wait 3 s for others to join.
group.initial.rebalance.delay.ms=0

# Make compaction observable within a test: the cleaner polls every 500 ms (default 15 s) and
# cleaned-away segments are deleted after 1 s (default 60 s). A compacted test topic still needs
# small topic-level segment.ms / min.cleanable.dirty.ratio, because the active segment is never cleaned.
log.cleaner.enable=true
log.cleaner.backoff.ms=500
log.segment.delete.delay.ms=1000
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216

# Modest thread counts for a 2-core machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF

  # Broker log: INFO to stdout (redirected to kafka.log), chatty internals at WARN.
  cat > "$RUN_DIR/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = INFO
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF

  # The storage tool and the readiness probe only need to say something when it goes wrong.
  cat > "$RUN_DIR/log4j2-tools.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = ERR
EOF
}

# A KRaft cluster id is 16 random bytes, base64url without padding (22 chars): what
# 'kafka-storage random-uuid' prints, minus one JVM start. Kafka rejects ids starting with '-'.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [ "${id:0:1}" != "-" ] && break
  done
  printf '%s\n' "$id"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

cmd_wait() {
  local start_ts=$SECONDS pid started_line=0
  ensure_probe
  log "waiting up to ${WAIT_SECS}s for $BOOTSTRAP"
  while (( SECONDS - start_ts < WAIT_SECS )); do
    if ! pid="$(running_pid)"; then
      log "the broker process is not running"
      tail_log
      return 1
    fi
    # Cheap checks first (log line, TCP port); only then spend a JVM start on the real request.
    if (( started_line == 0 )) && grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null; then
      started_line=1
    fi
    if (( started_line == 1 )) && port_open "$PORT" && run_probe >/dev/null 2>"$RUN_DIR/probe.err"; then
      log "ready after $(( SECONDS - start_ts ))s (pid $pid)"
      printf '%s\n' "$BOOTSTRAP"
      return 0
    fi
    sleep 0.5
  done
  log "the broker did not become ready within ${WAIT_SECS}s"
  [ -s "$RUN_DIR/probe.err" ] && { log "last probe error:"; tail -n 5 "$RUN_DIR/probe.err" >&2; }
  tail_log
  return 1
}

cmd_start() {
  require_java
  if running_pid >/dev/null; then
    log "a broker started by this script is running: stopping it for a clean start"
    cmd_stop
  fi
  # Fail early and clearly when something else holds our ports (the broker's own bind error is
  # buried in a stack trace).
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "127.0.0.1:$p is already in use by another process (set PHASEKIT_KAFKA_PORT / PHASEKIT_KAFKA_CONTROLLER_PORT)"
  done

  ensure_libs
  mkdir -p "$RUN_DIR"
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  write_configs

  local cluster_id
  cluster_id="$(new_cluster_id)"
  log "formatting KRaft storage in $DATA_DIR (cluster id $cluster_id)"
  # shellcheck disable=SC2086  # TOOL_JVM_OPTS is a list of JVM flags
  "$JAVA" -Xmx128m $TOOL_JVM_OPTS -Dlog4j2.configurationFile="$RUN_DIR/log4j2-tools.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$RUN_DIR/server.properties" >"$RUN_DIR/format.log" 2>&1 \
    || { cat "$RUN_DIR/format.log" >&2; die "kafka-storage format failed"; }

  launch_and_wait
}

# Starts the JVM on the formatted data dir and waits until it answers (used by start and restart).
launch_and_wait() {
  log "starting Kafka $KAFKA_VERSION on $BOOTSTRAP (controller $HOST:$CONTROLLER_PORT), log: $LOG_FILE"
  : > "$LOG_FILE"
  # setsid: own session, so a Ctrl-C or a test runner killing the caller's process group does not
  # take the broker down mid-test; stop it with 'broker.sh stop'. All three std fds are redirected
  # so that callers like "$(broker.sh start)" do not hang on a pipe the broker keeps open.
  # shellcheck disable=SC2086  # HEAP_OPTS is a list of JVM flags
  setsid "$JAVA" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$RUN_DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$RUN_DIR/server.properties" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  # With no job control in this script, setsid execs java directly, so $! is the JVM's pid.
  echo $! > "$PID_FILE"
  if ! cmd_wait; then
    # Do not leave a half-started JVM holding the ports; its log stays in $LOG_FILE.
    cmd_stop
    exit 1
  fi
}

# Stops the broker and starts it again on the SAME data (topics, records, committed offsets stay):
# for tests of a broker that goes away in the middle of a run. 'start' would wipe the data.
cmd_restart() {
  require_java
  [ -f "$DATA_DIR/meta.properties" ] || die "no formatted broker data in $DATA_DIR: run 'start' first"
  cmd_stop
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "127.0.0.1:$p is still in use after the stop"
  done
  [ -f "$LOG_FILE" ] && mv -f "$LOG_FILE" "$LOG_FILE.before-restart"
  launch_and_wait
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping pid $pid (TERM, KILL after ${STOP_TIMEOUT}s)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( SECONDS + STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${STOP_TIMEOUT}s: KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running $BOOTSTRAP pid $pid"
  else
    echo "stopped"
    exit 3
  fi
}

cmd_logs() {
  [ -f "$LOG_FILE" ] || die "no log yet at $LOG_FILE"
  if [ "${1:-}" = "-f" ]; then
    exec tail -n "${PHASEKIT_KAFKA_LOG_LINES:-100}" -F "$LOG_FILE"
  fi
  tail -n "${PHASEKIT_KAFKA_LOG_LINES:-100}" "$LOG_FILE"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

# start/stop from two shells at once (e.g. parallel test workers) must not interleave.
# The broker JVM is started with fd 9 closed, or it would hold this lock for its whole life.
take_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 120 9 || die "another broker.sh start/stop holds $RUN_DIR/.lock"
}

case "${1:-}" in
  start)  take_lock; cmd_start ;;
  stop)   take_lock; cmd_stop ;;
  restart) take_lock; cmd_restart ;;
  status) cmd_status ;;
  wait)   require_java; [ -f "$LIBS/.complete" ] || die "no cached jars in $LIBS: run 'start' first"; cmd_wait || exit 1 ;;
  logs)   shift; cmd_logs "$@" ;;
  -h|--help|help) usage ;;
  *)      usage >&2; exit 2 ;;
esac
