#!/usr/bin/env bash
# Helm, pinned, built from the Go module proxy into the per-user cache on first use (a cold build
# takes minutes on two cores); prints the `helm` executable's path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/go-binary.sh"
version=4.3.2
PATH="$PATH:/usr/local/go/bin"
target="$DF_CACHE_DIR/bin/helm-$version"
go_binary "helm.sh/helm/v4/cmd/helm@v$version" "$target"
echo "$target"
