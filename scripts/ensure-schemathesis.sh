#!/usr/bin/env bash
# The API fuzz test (test/fuzz/api.fuzz.ts, in npm run test:faults) runs Schemathesis from PyPI, pinned, in a
# virtualenv kept in the per-user cache; prints the `st` executable's path.
set -euo pipefail
version=4.32.5
venv="${DF_CACHE_DIR:-$HOME/.cache/datafibers}/schemathesis-$version"
if [[ ! -x "$venv/bin/st" || ! -f "$venv/.installed" ]]; then
  echo "[schemathesis] installing schemathesis $version from PyPI into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$version" >&2
  touch "$venv/.installed"
fi
echo "$venv/bin/st"
