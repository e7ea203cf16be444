#!/usr/bin/env bash
# Installs (once) headless Chromium from Debian's packages for the page's browser tests
# (packages/cli's *.browser tests drive it with playwright-core; no browser is ever downloaded by a
# test tool) and prints the path of the binary.
#
#   scripts/browser/chromium.sh          # installs if /usr/bin/chromium is missing, prints its path
#   scripts/browser/chromium.sh --path   # prints where the binary is (or would be), installs nothing
#
# Idempotent: a second run costs nothing. Needs root (or sudo) and Debian's apt repositories.
# PHASEKIT_CHROMIUM overrides the binary (any Chromium or Chrome >= 120).
set -euo pipefail
bin="${PHASEKIT_CHROMIUM:-/usr/bin/chromium}"
if [ "${1:-}" = "--path" ]; then echo "$bin"; exit 0; fi
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if [ -n "${PHASEKIT_CHROMIUM:-}" ]; then
  echo "chromium: PHASEKIT_CHROMIUM=$bin is not an executable file" >&2; exit 1
fi
command -v apt-get >/dev/null || { echo "chromium: apt-get not found; install Chromium and set PHASEKIT_CHROMIUM to its binary" >&2; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "chromium: not root and no sudo; run as root: apt-get install -y chromium" >&2; exit 1; }
  sudo="sudo"
fi
echo "chromium: installing Debian's chromium package (about a minute)" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing on a fresh machine; update only when the package is unknown.
if ! apt-cache show chromium >/dev/null 2>&1; then $sudo apt-get update -q >&2; fi
$sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2
[ -x "$bin" ] || { echo "chromium: apt-get finished but $bin is missing" >&2; exit 1; }
echo "$bin"
