#!/usr/bin/env bash
# kubernetes-validate from PyPI, pinned: it bundles the Kubernetes API schemas, so rendered
# manifests are checked without any download at run time. Kept in a virtualenv in the per-user
# cache; prints the `kubernetes-validate` executable's path.
set -euo pipefail
version=1.37.0
venv="${DF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/datafibers}/kubernetes-validate-$version"
if [[ ! -x "$venv/bin/kubernetes-validate" || ! -f "$venv/.installed" ]]; then
  echo "[kubernetes-validate] installing kubernetes-validate $version from PyPI into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$version" >&2
  touch "$venv/.installed"
fi
echo "$venv/bin/kubernetes-validate"
