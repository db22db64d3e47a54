# Temporal of the cluster profile: the secure profile's real server and PostgreSQL (its recipe is
# reused whole), with each of the server's services (frontend, history, matching, the internal
# worker) in a process of its own, as a production deployment runs them: they find one another
# through the membership ring in PostgreSQL, so one can be killed and restarted alone. The frontend
# speaks plaintext to clients, like the default profile's dev server.
source "$STACK_SCRIPTS/secure/services/temporal.sh"

TEMPORAL_PORT=27233
TEMPORAL_HTTP_PORT=27243
TEMPORAL_UI_PORT=28233
TEMPORAL_PG_PORT=25432
TEMPORAL_SERVICES=(history matching frontend worker)

temporal_url() { echo "127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT, PostgreSQL $TEMPORAL_PG_PORT)"; }
# Stopped in this order: the UI, then the services clients reach first, the database last.
temporal_procs() { echo temporal-ui temporal-frontend temporal-worker temporal-matching temporal-history temporal-postgres; }

temporal_tls_yaml() { :; }
temporal_ui_tls_yaml() { :; }

# One process per service, history first and alone until it serves: each service writes the
# cluster's metadata into an empty database when it starts, and two doing so at once can fail one
# of them with a duplicate key (its process then exits). History opens its port only once that
# record is in place; the others then find it, and wait for history's shards to be owned.
temporal_server_start() {
  local service
  start_proc temporal-history "$TEMPORAL_SERVER_BIN" --allow-no-auth --config-file "$1" start --service history
  wait_until temporal-history 120 temporal-history -- port_open 127.0.0.1 "$((TEMPORAL_PORT + 1))" ||
    die "temporal: the history service did not start"
  for service in "${TEMPORAL_SERVICES[@]}"; do
    [[ "$service" == history ]] && continue
    start_proc "temporal-$service" "$TEMPORAL_SERVER_BIN" --allow-no-auth --config-file "$1" start --service "$service"
  done
}

temporal_cli() { "$TEMPORAL_BIN" "$@" --address "127.0.0.1:$TEMPORAL_PORT"; }

temporal_df_env() {
  echo "TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT"
  echo "TEMPORAL_UI_URL=http://127.0.0.1:$TEMPORAL_UI_PORT"
}
