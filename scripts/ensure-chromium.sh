#!/usr/bin/env bash
# The console's browser test drives a real Chromium (playwright-core never downloads one). Uses
# CHROMIUM_PATH or Debian's /usr/bin/chromium; installs Debian's package when missing and this user
# may (root, or sudo without a password); otherwise stops and says how to get one.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ -x "$chromium" ]]; then exit 0; fi
if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1
fi
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else
    echo "Chromium is missing: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH" >&2; exit 1
  fi
fi
echo "[chromium] installing Debian's chromium for the browser test" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y chromium >/dev/null \
  || { "${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y chromium >/dev/null; }
[[ -x /usr/bin/chromium ]] || { echo "chromium did not install" >&2; exit 1; }
