# Sourced: go_binary PACKAGE@VERSION TARGET builds a Go command from the Go module proxy into TARGET
# (once; an existing TARGET is kept), with the module and build caches in the per-user cache so a
# second build of anything sharing modules is warm. Never a binary download.
DF_CACHE_DIR="${DF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/datafibers}"

go_binary() {
  local package="$1" target="$2"
  [[ -x "$target" ]] && return 0
  if ! command -v go >/dev/null; then
    echo "go_binary: Go is needed to build $package (PATH has no go)" >&2
    return 1
  fi
  mkdir -p "$(dirname "$target")"
  local t0=$SECONDS
  (
    set -e
    # One build at a time per binary: a second caller waits for the first one's result.
    exec 9>"$target.lock"
    flock 9
    [[ -x "$target" ]] && exit 0
    echo "[go] building $package from the Go module proxy (first time only, minutes)" >&2
    export GOMODCACHE="$DF_CACHE_DIR/go/mod" GOCACHE="$DF_CACHE_DIR/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=mod
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    GOBIN="$work" go install -trimpath "$package" >&2
    mv "$work"/* "$target.tmp.$$" && mv "$target.tmp.$$" "$target"
  ) || return 1
  echo "[go] $target ready after $((SECONDS - t0))s" >&2
}
