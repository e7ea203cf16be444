# Source this file: `services_up` starts the real services the integration tests need and exports
# where they listen; `services_down` stops them. Each adapter package brings its own service:
# packages/adapter-kafka -> a Kafka broker (scripts/kafka), packages/adapter-k8s -> kube-apiserver,
# etcd and kwok (scripts/k8s), packages/runtime -> the real Dyff Python client in a venv
# (scripts/dyff-client), packages/cli's page -> headless Chromium from Debian's packages
# (scripts/browser), packages/adapter-etcd -> the key-value store's own etcd (scripts/etcd, not the
# one behind kube-apiserver), packages/adapter-postgres -> PostgreSQL for the query view
# (scripts/postgres). Under CI a service that cannot start fails the run.

services_up() {
  if [ -d packages/adapter-kafka ] && [ -x scripts/kafka/broker.sh ]; then
    scripts/kafka/broker.sh start
    export PHASEKIT_KAFKA_BROKERS="127.0.0.1:${PHASEKIT_KAFKA_PORT:-19092}"
  fi
  if [ -d packages/adapter-k8s ] && [ -x scripts/k8s/cluster.sh ]; then
    scripts/k8s/build.sh
    scripts/k8s/cluster.sh start
    eval "$(scripts/k8s/cluster.sh env)"
  fi
  if [ -d packages/adapter-etcd ] && [ -x scripts/etcd/store.sh ]; then
    scripts/etcd/store.sh start >/dev/null
    eval "$(scripts/etcd/store.sh env)"
  fi
  if [ -d packages/adapter-postgres ] && [ -x scripts/postgres/server.sh ]; then
    scripts/postgres/server.sh start >/dev/null
    eval "$(scripts/postgres/server.sh env)"
  fi
  if [ -d packages/runtime ] && [ -x scripts/dyff-client/venv.sh ]; then
    # Under CI a venv that cannot be made fails the run; elsewhere the Dyff client tests say how to make it.
    if PHASEKIT_DYFF_PYTHON="$(scripts/dyff-client/venv.sh)"; then
      export PHASEKIT_DYFF_PYTHON
    elif [ "${CI:-}" = true ]; then
      return 1
    fi
  fi
  if [ -d packages/cli ] && [ -x scripts/browser/chromium.sh ]; then
    # The page's browser tests drive this Chromium with playwright-core; no test tool downloads one.
    if PHASEKIT_CHROMIUM="$(scripts/browser/chromium.sh)"; then
      export PHASEKIT_CHROMIUM
    elif [ "${CI:-}" = true ]; then
      return 1
    fi
  fi
}

services_down() {
  [ -x scripts/kafka/broker.sh ] && scripts/kafka/broker.sh stop >/dev/null 2>&1 || true
  [ -x scripts/k8s/cluster.sh ] && scripts/k8s/cluster.sh stop >/dev/null 2>&1 || true
  [ -x scripts/etcd/store.sh ] && scripts/etcd/store.sh stop >/dev/null 2>&1 || true
  [ -x scripts/postgres/server.sh ] && scripts/postgres/server.sh stop >/dev/null 2>&1 || true
}
