# MongoDB-wire store: FerretDB v1 with its SQLite backend, built from the Go module proxy as a
# small launcher (scripts/stack/ferretdb) that embeds it, with four fixes to FerretDB 1.24.2
# (sqlite-backend-fixes.patch):
# - its _id lookups used another expression than its _id index, so SQLite never used the index and
#   every update or delete by _id scanned the table (28 ms at 10,000 documents; 0.7 ms fixed);
# - an _id equality now reaches SQLite when the filter holds more, as status sync's conditional
#   writes {_id, status, statusAt} do (the handler filters again with the whole filter);
# - an update command closes each statement's query before the next: it kept them all open, and at
#   100 statements the 100-connection pool ran dry and the command waited forever;
# - an update (update, findAndModify) reads, modifies and writes its document under that document's
#   lock: it did so with nothing in between, and of 20 concurrent $inc on one document as few as 5
#   were kept.
# auth-setup.patch lets the launcher turn on what FerretDB's own command line calls
# --test-enable-new-auth and --setup-username/--setup-password (SCRAM users FerretDB keeps itself,
# and one made at start): its embeddable package does not expose them. The setup user's password is
# written at every start, not only with a new database, so a rotated secret file takes at restart.
# connection-status-privileges.patch: with authentication on, connectionStatus lists the privileges
# of the authenticated user. FerretDB has no authorization (a user may do everything) but listed
# none, and MongoDB's Kafka connector checks that list before it starts: the metadata sink refused
# to start ("Missing the following action permissions: insert, update, remove").
# The default profile leaves TLS and authentication off; the secure profile turns them on by flags.
# SQLite runs with synchronous=normal (WAL), as the stack's Temporal does: a local stack trades
# power-loss durability for write speed.
STORE_PORT=27017

store_envvar() { echo MONGO_URL; }
store_port() { echo "$STORE_PORT"; }
store_url() { echo "mongodb://127.0.0.1:$STORE_PORT"; }
store_procs() { echo store; }

# The binary's name carries a hash of the launcher's sources, so a change to them rebuilds it.
store_binary() {
  local src="$STACK_SCRIPTS/ferretdb" hash
  hash="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" "$src"/*.patch | sha256sum | cut -c1-12)"
  echo "$DF_CACHE_DIR/bin/ferretdb-$FERRETDB_VERSION-$hash"
}

store_install() {
  local bin; bin="$(store_binary)"
  [[ -x "$bin" ]] && return
  command -v go >/dev/null || die "store: Go is needed to build FerretDB"
  say "building FerretDB $FERRETDB_VERSION (first time only, a few minutes)"
  mkdir -p "$DF_CACHE_DIR/bin"
  (
    set -e
    local src="$STACK_SCRIPTS/ferretdb" work module
    export GOMODCACHE="$DF_CACHE_DIR/go/mod" GOCACHE="$DF_CACHE_DIR/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=mod
    work="$(mktemp -d)"
    trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
    cp "$src/main.go" "$src/go.mod" "$src/go.sum" "$work/"
    cd "$work"
    module="$(go mod download -json "github.com/FerretDB/FerretDB@v$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [[ -d "$module" ]] || die "store: FerretDB $FERRETDB_VERSION is not in the module cache"
    cp -R "$module" ferretdb-src && chmod -R u+w ferretdb-src
    local fix
    for fix in "$src"/*.patch; do
      if command -v patch >/dev/null; then patch -s -d ferretdb-src -p1 <"$fix"
      else (cd ferretdb-src && git apply "$fix"); fi
    done
    go mod edit -replace "github.com/FerretDB/FerretDB=./ferretdb-src"
    CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" . && mv "$bin.tmp" "$bin"
  )
}

store_start() {
  mkdir -p "$DATA_DIR/store"
  start_proc store "$(store_binary)" -listen-addr "127.0.0.1:$STORE_PORT" \
    -sqlite-url "file:$DATA_DIR/store/?_pragma=synchronous(normal)" -log-level warn
}

store_ready() { port_open 127.0.0.1 "$STORE_PORT"; }
