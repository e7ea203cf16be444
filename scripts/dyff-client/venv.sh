#!/usr/bin/env bash
# Makes (once) a Python virtual environment with the real Dyff client, dyff-client 0.27.x and
# dyff-schema 0.46.x from PyPI, pinned in requirements.txt beside this script, and prints the path
# of its python. Cached under ~/.cache/phasekit by the hash of requirements.txt: a second run costs
# nothing, a changed pin makes a new venv.
#
#   scripts/dyff-client/venv.sh          # installs if needed, prints .../bin/python
#   scripts/dyff-client/venv.sh --path   # prints where the python is (or would be), installs nothing
#
# Needs python3 >= 3.10 with the venv module (Debian: python3-venv) and PyPI (or PIP_INDEX_URL).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PHASEKIT_CACHE:-$HOME/.cache/phasekit}"
digest="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="$cache/dyff-client-$digest"
python="$venv/bin/python"
if [ "${1:-}" = "--path" ]; then echo "$python"; exit 0; fi
if [ -x "$python" ] && [ -f "$venv/.complete" ]; then echo "$python"; exit 0; fi
py="${PHASEKIT_PYTHON:-python3}"
command -v "$py" >/dev/null || { echo "dyff-client: $py not found; install Python >= 3.10 (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || { echo "dyff-client: $("$py" --version 2>&1) is too old; dyff-client needs Python >= 3.10" >&2; exit 1; }
echo "dyff-client: making $venv (dyff-client from PyPI, about a minute)" >&2
rm -rf "$venv"
"$py" -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt" >&2
"$python" -c 'import dyff.client, dyff.schema' >&2
touch "$venv/.complete"
echo "$python"
