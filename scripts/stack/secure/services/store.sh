# The store of the secure profile: the same FerretDB launcher, with only a TLS listener (the
# profile's server certificate) and SCRAM authentication on (FerretDB's "new auth", see
# auth-setup.patch): every command but the handshake ones (hello, ping, saslStart, ...) is refused
# on a connection that has not authenticated. One user, df in database admin, with the password of
# secret store-df, given to the launcher as a file and written at every start.
# Client certificates are not asked for: FerretDB asks for one from every client as soon as it is
# given a CA, and Kafka Connect's MongoDB sink (the metadata connector) would then need a key store
# of its own; the password is the client's proof, as with a hosted MongoDB.
# DF reads the whole URL, password included, from a file (MONGO_URL_FILE: DF has no separate
# password setting for its store); Kafka Connect gets a reference to a properties file instead of
# the URL (its FileConfigProvider reads it), so the password is never in a connector's config.
STORE_PORT=27117
STORE_USER=df
STORE_AUTH_DB=admin

store_url() {
  echo "mongodb://$STORE_USER@127.0.0.1:$STORE_PORT/?tls=true&authMechanism=SCRAM-SHA-256&authSource=$STORE_AUTH_DB&directConnection=true"
}

# The URL with the password (hex, so it needs no escaping), for whoever may read the secrets.
store_secret_url() {
  local url; url="$(store_url)"
  echo "${url/#mongodb:\/\/$STORE_USER@/mongodb://$STORE_USER:$(secret_value store-df)@}"
}

# Writes FILE (mode 600) with the text on stdin, unless it holds that text already.
store_write_secret_file() {
  local file="$1" text
  text="$(cat)"
  [[ -f "$file" && "$(cat "$file")" == "$text" ]] && return
  (umask 077; printf '%s\n' "$text" >"$file.tmp") && mv "$file.tmp" "$file"
}

# The files DF and Kafka Connect read the URL from.
store_url_files() {
  secret store-df >/dev/null
  store_secret_url | store_write_secret_file "$SECRETS_DIR/store-url"
  printf 'connection.uri=%s\n' "$(store_secret_url)" | store_write_secret_file "$SECRETS_DIR/store-connect.properties"
}

store_start() {
  [[ -d "$REPO_ROOT/node_modules/mongodb" ]] ||
    die "store: its readiness check logs in with the MongoDB driver of node_modules: run npm ci first"
  mkdir -p "$DATA_DIR/store"
  start_proc store "$(store_binary)" -listen-addr "" -listen-tls "127.0.0.1:$STORE_PORT" \
    -listen-tls-cert-file "$PKI_DIR/server.pem" -listen-tls-key-file "$PKI_DIR/server.key" \
    -auth -setup-database "$STORE_AUTH_DB" -setup-username "$STORE_USER" -setup-password-file "$(secret store-df)" \
    -sqlite-url "file:$DATA_DIR/store/?_pragma=synchronous(normal)" -log-level warn
}

# Ready when a client that trusts only the profile's CA logs in as df and is answered a command
# that needs the login.
store_ready() {
  port_open 127.0.0.1 "$STORE_PORT" || return 1
  store_url_files
  node -e '
    const [driver, urlFile, caFile] = process.argv.slice(1);
    const { MongoClient } = require(driver);
    const url = require("node:fs").readFileSync(urlFile, "utf8").trim();
    const client = new MongoClient(url, { tlsCAFile: caFile, serverSelectionTimeoutMS: 3000 });
    client.db("admin").command({ listDatabases: 1, nameOnly: true })
      .finally(() => client.close())
      .catch((e) => { console.error(e.message); process.exit(1); });
  ' "$REPO_ROOT/node_modules/mongodb" "$SECRETS_DIR/store-url" "$PKI_DIR/ca.pem"
}

store_df_env() {
  store_url_files
  echo "MONGO_URL_FILE=$SECRETS_DIR/store-url"
  echo "MONGO_TLS_CA_FILE=$PKI_DIR/ca.pem"
  echo "CONNECT_MONGO_URL=\${file:$SECRETS_DIR/store-connect.properties:connection.uri}"
}
