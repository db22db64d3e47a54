# Secure Temporal: the real server (the CLI's dev server has no TLS), built from the Go module
# proxy, with its four services (frontend, history, matching, worker) in one process:
# - the frontend speaks TLS only and asks every client for a certificate signed by the profile's CA
#   (mTLS); the services talk to one another over mTLS too, with the same certificates, and the
#   server's own system worker reaches the frontend with the client certificate;
# - persistence and visibility live in a PostgreSQL 15 of its own (Debian's binaries), reached over
#   TLS (verify-full) with a generated password (scram-sha-256), bound to 127.0.0.1;
# - the Web UI (ui-server, the version the stack's CLI embeds) reaches the frontend with the client
#   certificate and verifies the server's.
# Membership gossip (ringpop, the 169xx ports) has no TLS in Temporal; it stays on 127.0.0.1.
TEMPORAL_PORT=17233
TEMPORAL_HTTP_PORT=17243
TEMPORAL_UI_PORT=18233
TEMPORAL_PG_PORT=15432
TEMPORAL_SERVER_VERSION=1.32.0
TEMPORAL_UI_VERSION=2.54.1
TEMPORAL_PG_BIN="${DF_PG_BIN:-/usr/lib/postgresql/15/bin}"
TEMPORAL_SERVER_BIN="$DF_CACHE_DIR/bin/temporal-server-$TEMPORAL_SERVER_VERSION"
TEMPORAL_SQL_TOOL_BIN="$DF_CACHE_DIR/bin/temporal-sql-tool-$TEMPORAL_SERVER_VERSION"
TEMPORAL_UI_BIN="$DF_CACHE_DIR/bin/temporal-ui-server-$TEMPORAL_UI_VERSION"
TEMPORAL_DB_USER=temporal

temporal_url() { echo "127.0.0.1:$TEMPORAL_PORT mTLS (UI http://127.0.0.1:$TEMPORAL_UI_PORT, PostgreSQL $TEMPORAL_PG_PORT)"; }
# Stopped in this order: the UI and the server before the database they use.
temporal_procs() { echo temporal-ui temporal temporal-postgres; }
# The server's build takes about nine minutes on two cores: it must not hold up the Maven downloads.
temporal_lane() { echo temporal-build; }

# temporal_go_binary PACKAGE@VERSION TARGET: `go install` into a temp dir, then the binary into the cache.
temporal_go_binary() {
  local package="$1" target="$2"
  [[ -x "$target" ]] && return
  command -v go >/dev/null || die "temporal: Go is needed to build $package"
  say "building $package (first time only, several minutes)"
  mkdir -p "$DF_CACHE_DIR/bin"
  local t0=$SECONDS
  (
    set -e
    export GOMODCACHE="$DF_CACHE_DIR/go/mod" GOCACHE="$DF_CACHE_DIR/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=mod
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    GOBIN="$work" go install -trimpath "$package"
    mv "$work"/* "$target.tmp" && mv "$target.tmp" "$target"
  )
  say "built $target in $((SECONDS - t0))s"
}

temporal_install() {
  temporal_go_binary "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" "$TEMPORAL_SERVER_BIN"
  temporal_go_binary "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" "$TEMPORAL_SQL_TOOL_BIN"
  temporal_go_binary "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION" "$TEMPORAL_UI_BIN"
  if [[ ! -x "$TEMPORAL_PG_BIN/postgres" ]]; then
    ((EUID == 0)) || die "temporal: PostgreSQL 15 is needed; install it with: sudo apt-get install -y postgresql-15"
    say "installing PostgreSQL 15 from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15
  fi
  # The CLI: readiness checks, the namespace and its search attributes.
  python_env
}

# PostgreSQL refuses to run as root: as root it runs as nobody, which owns its data folder.
TEMPORAL_AS_PG_OWNER=()
if ((EUID == 0)); then TEMPORAL_AS_PG_OWNER=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --); fi
temporal_pg_owner() { if ((EUID == 0)); then echo nobody; else id -un; fi; }
temporal_as_pg_owner() { ${TEMPORAL_AS_PG_OWNER[@]+"${TEMPORAL_AS_PG_OWNER[@]}"} "$@"; }

# As root, PostgreSQL runs as nobody, who cannot pass a folder closed to others (a home, a mktemp
# folder) on the way to the stack's. Its data then lives in /var/tmp, under a name made from the
# stack's folder; a marker in the stack's folder ties its life to that folder's (a reset of the
# stack's data starts a new cluster there too).
temporal_pg_locate() {
  mkdir -p "$DATA_DIR/temporal"
  TEMPORAL_PG_DATA="$DATA_DIR/temporal/pg"
  if ((EUID == 0)) && ! temporal_as_pg_owner test -x "$DATA_DIR/temporal"; then
    TEMPORAL_PG_DATA="/var/tmp/datafibers-pg-$(printf %s "$DF_STACK_HOME" | sha256sum | cut -c1-16)"
  fi
}

temporal_pg_init() {
  local marker="$DATA_DIR/temporal/.pg-cluster"
  [[ -f "$TEMPORAL_PG_DATA/PG_VERSION" && "$(cat "$marker" 2>/dev/null)" == "$TEMPORAL_PG_DATA" ]] && return
  local owner pw
  owner="$(temporal_pg_owner)"
  rm -rf "$TEMPORAL_PG_DATA" "$marker"
  mkdir -p "$TEMPORAL_PG_DATA"
  chmod 700 "$TEMPORAL_PG_DATA"
  chown "$owner:" "$TEMPORAL_PG_DATA"
  temporal_as_pg_owner test -w "$TEMPORAL_PG_DATA" ||
    die "temporal: $owner cannot reach $TEMPORAL_PG_DATA (a parent folder closed to others?); set DF_STACK_HOME to a folder it can reach"
  # initdb reads the password from a file: a copy only the database's owner can read, removed at once.
  pw="$(mktemp)"
  cat "$(secret temporal-postgres)" >"$pw"
  chown "$owner:" "$pw"
  temporal_as_pg_owner "$TEMPORAL_PG_BIN/initdb" -D "$TEMPORAL_PG_DATA" -U "$TEMPORAL_DB_USER" --pwfile="$pw" \
    --auth=scram-sha-256 -E UTF8 --no-locale >>"$(log_file temporal-postgres)" 2>&1 ||
    { rm -f "$pw"; die "temporal: initdb failed (see $(log_file temporal-postgres))"; }
  rm -f "$pw"
  echo "$TEMPORAL_PG_DATA" >"$marker"
}

# TLS and password only, over TCP on 127.0.0.1: no Unix socket, no trust, no plaintext.
temporal_pg_configure() {
  local owner; owner="$(temporal_pg_owner)"
  printf '# Written by the stack at every start.\nhostssl all all 127.0.0.1/32 scram-sha-256\n' >"$TEMPORAL_PG_DATA/pg_hba.conf"
  # The server's key, as PostgreSQL wants it: its owner's, readable by no one else.
  install -m 600 -o "$owner" "$PKI_DIR/server.key" "$TEMPORAL_PG_DATA/server.key"
  install -m 644 -o "$owner" "$PKI_DIR/server.pem" "$TEMPORAL_PG_DATA/server.pem"
  chown "$owner:" "$TEMPORAL_PG_DATA/pg_hba.conf"
}

temporal_pg_ready() { "$TEMPORAL_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$TEMPORAL_PG_PORT"; }

# psql as the database's user, the password from a pass file (mode 600), the server verified.
temporal_psql() {
  local pass="$CONF_DIR/temporal-pgpass"
  (umask 077; printf '127.0.0.1:%s:*:%s:%s\n' "$TEMPORAL_PG_PORT" "$TEMPORAL_DB_USER" "$(secret_value temporal-postgres)" >"$pass")
  PGPASSFILE="$pass" "$TEMPORAL_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -tA \
    "host=127.0.0.1 port=$TEMPORAL_PG_PORT user=$TEMPORAL_DB_USER dbname=postgres sslmode=verify-full sslrootcert=$PKI_DIR/ca.pem" "$@"
}

# Databases and schemas: created once, brought up to this server's schema version at every start.
temporal_pg_schema() {
  local db schema
  for db in temporal temporal_visibility; do
    if [[ "$(temporal_psql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
      temporal_psql -c "CREATE DATABASE $db"
    fi
    schema=postgresql/v12/temporal
    [[ "$db" == temporal_visibility ]] && schema=postgresql/v12/visibility
    # The password reaches the tool in its environment, never on its command line.
    local tool=("$TEMPORAL_SQL_TOOL_BIN" --plugin postgres12 --endpoint 127.0.0.1 --port "$TEMPORAL_PG_PORT"
      --user "$TEMPORAL_DB_USER" --database "$db" --tls --tls-ca-file "$PKI_DIR/ca.pem" --tls-server-name localhost)
    SQL_PASSWORD="$(secret_value temporal-postgres)" "${tool[@]}" setup-schema --version 0.0 &&
      SQL_PASSWORD="$(secret_value temporal-postgres)" "${tool[@]}" update-schema --schema-name "$schema" ||
      return 1
  done >>"$(log_file temporal-schema)" 2>&1
}

# One datastore of the server's configuration: NAME MAX_CONNS MAX_IDLE_CONNS PASSWORD. Few idle
# connections: each is a PostgreSQL process of its own.
temporal_datastore_yaml() {
  cat <<EOF
      sql:
        pluginName: postgres12
        databaseName: $1
        connectAddr: "127.0.0.1:$TEMPORAL_PG_PORT"
        connectProtocol: tcp
        user: $TEMPORAL_DB_USER
        password: "$4"
        maxConns: $2
        maxIdleConns: $3
        maxConnLifetime: 1h
        tls:
          enabled: true
          caFile: $PKI_DIR/ca.pem
          enableHostVerification: true
          serverName: localhost
EOF
}

# The TLS block of the server's configuration (under global:): mTLS on the frontend, between the
# services, and for the server's own system worker.
temporal_tls_yaml() {
  local ca="$PKI_DIR/ca.pem"
  local tls_server="
        certFile: $PKI_DIR/server.pem
        keyFile: $PKI_DIR/server.key
        requireClientAuth: true
        clientCaFiles: [$ca]"
  local tls_client="
        serverName: localhost
        rootCaFiles: [$ca]"
  cat <<EOF
  tls:
    internode:
      server:$tls_server
      client:$tls_client
    frontend:
      server:$tls_server
      client:$tls_client
    systemWorker:
      certFile: $PKI_DIR/client.pem
      keyFile: $PKI_DIR/client.key
      client:$tls_client
EOF
}

# The rpc block of one service: its gRPC port, and its membership (gossip) port 300 below it.
temporal_rpc_yaml() {
  echo "    rpc: {grpcPort: $1, membershipPort: $(($1 - 300)),${2:+ httpPort: $2,} bindOnIP: 127.0.0.1}"
}

# The server's configuration holds the database password: mode 600, rewritten at every start.
temporal_server_config() {
  local file="$CONF_DIR/temporal-server.yaml" pw
  pw="$(secret_value temporal-postgres)"
  (
    umask 077
    cat >"$file.tmp" <<EOF
# Written by the stack at every start (scripts/stack/$DF_STACK_PROFILE/services/temporal.sh).
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres:
$(temporal_datastore_yaml temporal 20 5 "$pw")
    postgres-visibility:
$(temporal_datastore_yaml temporal_visibility 10 2 "$pw")
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
$(temporal_tls_yaml)
services:
  frontend:
$(temporal_rpc_yaml "$TEMPORAL_PORT" "$TEMPORAL_HTTP_PORT")
  history:
$(temporal_rpc_yaml "$((TEMPORAL_PORT + 1))")
  matching:
$(temporal_rpc_yaml "$((TEMPORAL_PORT + 2))")
  worker:
$(temporal_rpc_yaml "$((TEMPORAL_PORT + 6))")
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$TEMPORAL_PORT"
      httpAddress: "127.0.0.1:$TEMPORAL_HTTP_PORT"
dcRedirectionPolicy:
  policy: noop
archival:
  history: {state: disabled}
  visibility: {state: disabled}
namespaceDefaults:
  archival:
    history: {state: disabled}
    visibility: {state: disabled}
dynamicConfigClient:
  filepath: $CONF_DIR/temporal-dynamic.yaml
  pollInterval: 60s
EOF
    mv "$file.tmp" "$file"
  )
  # A search attribute added is usable at once, not after the cache's next refresh.
  cat >"$CONF_DIR/temporal-dynamic.yaml" <<EOF
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
EOF
  echo "$file"
}

temporal_ui_tls_yaml() {
  cat <<EOF
tls:
  caFile: $PKI_DIR/ca.pem
  certFile: $PKI_DIR/client.pem
  keyFile: $PKI_DIR/client.key
  serverName: localhost
  enableHostVerification: true
EOF
}

temporal_ui_config() {
  local dir="$CONF_DIR/temporal-ui"
  mkdir -p "$dir"
  cat >"$dir/$DF_STACK_PROFILE.yaml" <<EOF
# Written by the stack at every start (scripts/stack/$DF_STACK_PROFILE/services/temporal.sh).
temporalGrpcAddress: "127.0.0.1:$TEMPORAL_PORT"
host: 127.0.0.1
port: $TEMPORAL_UI_PORT
enableUi: true
defaultNamespace: default
disableNewsFetch: true
$(temporal_ui_tls_yaml)
codec:
  endpoint: "http://127.0.0.1:${DF_PORT:-8080}/api/codec"
EOF
  echo "$dir"
}

temporal_start() {
  local p
  for p in "$TEMPORAL_PG_PORT" "$TEMPORAL_UI_PORT" "$TEMPORAL_HTTP_PORT"; do
    require_free_port temporal "$p" TEMPORAL_ADDRESS
  done
  temporal_pg_locate
  temporal_pg_init
  temporal_pg_configure
  # synchronous_commit=off: a crash may lose the last commits but never corrupts, the trade the
  # default stack's SQLite makes (synchronous=normal) for write speed on a laptop's disk.
  start_proc temporal-postgres ${TEMPORAL_AS_PG_OWNER[@]+"${TEMPORAL_AS_PG_OWNER[@]}"} \
    "$TEMPORAL_PG_BIN/postgres" -D "$TEMPORAL_PG_DATA" -c df.stack_home="$DF_STACK_HOME" \
    -c listen_addresses=127.0.0.1 -c port="$TEMPORAL_PG_PORT" -c unix_socket_directories= \
    -c ssl=on -c ssl_cert_file=server.pem -c ssl_key_file=server.key -c password_encryption=scram-sha-256 \
    -c shared_buffers=64MB -c max_connections=60 -c synchronous_commit=off
  wait_until temporal-postgres 60 temporal-postgres -- temporal_pg_ready || die "temporal: PostgreSQL did not start"
  temporal_pg_schema || die "temporal: setting up the schema failed (see $(log_file temporal-schema))"
  temporal_server_start "$(temporal_server_config)"
  start_proc temporal-ui "$TEMPORAL_UI_BIN" --root / --config "$(temporal_ui_config)" --env "$DF_STACK_PROFILE" start
}

# The server's four services in one process.
temporal_server_start() { start_proc temporal "$TEMPORAL_SERVER_BIN" --allow-no-auth --config-file "$1" start; }

# The CLI with the profile's client certificate (the frontend refuses a client without one).
temporal_cli() {
  "$TEMPORAL_BIN" "$@" --address "127.0.0.1:$TEMPORAL_PORT" --tls-ca-path "$PKI_DIR/ca.pem" \
    --tls-cert-path "$PKI_DIR/client.pem" --tls-key-path "$PKI_DIR/client.key" --tls-server-name localhost
}

temporal_ready() {
  output_has "$(temporal_cli operator cluster health 2>/dev/null)" SERVING &&
    http_ok "http://127.0.0.1:$TEMPORAL_UI_PORT/"
}

# The real server starts with no namespace: `default` and DF's search attributes are added here.
temporal_after_ready() {
  local tries=0 name missing
  until temporal_cli operator namespace describe --namespace default >/dev/null 2>&1; do
    temporal_cli operator namespace create --namespace default --retention 72h >/dev/null 2>&1 || true
    ((++tries < 30)) || die "temporal: the namespace default could not be created"
    sleep 1
  done
  for ((tries = 0; ; tries++)); do
    missing=()
    local known; known="$(temporal_cli operator search-attribute list --namespace default 2>/dev/null)" || known=""
    for name in DfTaskId DfOperation DfCategory DfActor; do
      output_has "$known" "$name" || missing+=(--name "$name")
    done
    ((${#missing[@]} == 0)) && return 0
    ((tries < 30)) || die "temporal: the search attributes could not be created"
    temporal_cli operator search-attribute create --namespace default "${missing[@]}" --type Keyword \
      >/dev/null 2>&1 || sleep 1
  done
}

temporal_df_env() {
  echo "TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT"
  echo "TEMPORAL_TLS_SERVER_CA_CERT_PATH=$PKI_DIR/ca.pem"
  echo "TEMPORAL_TLS_CLIENT_CERT_PATH=$PKI_DIR/client.pem"
  echo "TEMPORAL_TLS_CLIENT_KEY_PATH=$PKI_DIR/client.key"
  echo "TEMPORAL_TLS_SERVER_NAME=localhost"
  echo "TEMPORAL_UI_URL=http://127.0.0.1:$TEMPORAL_UI_PORT"
}
