# MongoDB-wire store: FerretDB v1 with its SQLite backend, built from the Go module proxy as a
# small launcher (scripts/stack/ferretdb) that embeds it.
STORE_PORT=27017

store_envvar() { echo MONGO_URL; }
store_port() { echo "$STORE_PORT"; }
store_url() { echo "mongodb://127.0.0.1:$STORE_PORT"; }
store_procs() { echo store; }

# The binary's name carries a hash of the launcher's sources, so a change to them rebuilds it.
store_binary() {
  local src="$STACK_SCRIPTS/ferretdb" hash
  hash="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)"
  echo "$DF_CACHE_DIR/bin/ferretdb-$FERRETDB_VERSION-$hash"
}

store_install() {
  local bin; bin="$(store_binary)"
  [[ -x "$bin" ]] && return
  command -v go >/dev/null || die "store: Go is needed to build FerretDB"
  say "building FerretDB $FERRETDB_VERSION (first time only, a few minutes)"
  mkdir -p "$DF_CACHE_DIR/bin"
  (
    cd "$STACK_SCRIPTS/ferretdb"
    export GOMODCACHE="$DF_CACHE_DIR/go/mod" GOCACHE="$DF_CACHE_DIR/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=mod
    CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" . && mv "$bin.tmp" "$bin"
  )
}

store_start() {
  mkdir -p "$DATA_DIR/store"
  start_proc store "$(store_binary)" -listen-addr "127.0.0.1:$STORE_PORT" \
    -sqlite-url "file:$DATA_DIR/store/" -log-level warn
}

store_ready() { port_open 127.0.0.1 "$STORE_PORT"; }
