#!/usr/bin/env bash
# The Compose file checker (deploy/check/compose: compose-go, the library Docker Compose loads
# files with), built from the Go module proxy into the per-user cache on first use and rebuilt when
# its source changes (the binary's name holds a hash of go.mod, go.sum and main.go); prints the
# binary's path. Needs Go (GOTOOLCHAIN=local: the Go on this machine, never a download).
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../deploy/check/compose" && pwd)"
cache="${DF_CACHE_DIR:-$HOME/.cache/datafibers}"
hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"
bin="$cache/bin/compose-check-$hash"
if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null || { echo "[compose-check] Go is needed to build $src" >&2; exit 1; }
  echo "[compose-check] building $src into $bin" >&2
  mkdir -p "$cache/bin"
  # -mod=readonly: go.sum must already hold every module; a build never edits the source folder.
  (cd "$src" && GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    go build -trimpath -o "$bin.tmp.$$" .) >&2
  mv "$bin.tmp.$$" "$bin"
fi
echo "$bin"
