# Flink SQL Gateway (REST v1/v2) in front of the session cluster. Its default REST port, 8083, is
# Kafka Connect's, so it listens on 8084.
SQL_GATEWAY_PORT=8084

sql_gateway_envvar() { echo FLINK_SQL_GATEWAY_URL; }
sql_gateway_port() { echo "$SQL_GATEWAY_PORT"; }
sql_gateway_url() { echo "http://127.0.0.1:$SQL_GATEWAY_PORT"; }
sql_gateway_procs() { echo sql-gateway; }

sql_gateway_install() { flink_install; }

sql_gateway_start() {
  local flink_address="${FLINK_URL:-http://127.0.0.1:$FLINK_PORT}"
  local hp; hp="$(host_port_of "$flink_address")"
  # shellcheck disable=SC2046
  start_proc sql-gateway $(flink_env) JVM_ARGS="-Xmx512m -XX:+UseSerialGC" \
    "$FLINK_HOME/bin/sql-gateway.sh" start-foreground \
    -Drest.address="${hp%:*}" -Drest.port="${hp##*:}" -Dweb.tmpdir="$DATA_DIR/flink/tmp"
}

sql_gateway_ready() { http_ok "http://127.0.0.1:$SQL_GATEWAY_PORT/v1/info"; }
