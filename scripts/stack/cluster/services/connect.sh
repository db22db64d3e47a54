# Kafka Connect of the cluster profile: 2 distributed workers in one group. Each answers the whole
# REST API (a write reaching a follower is forwarded to the leader), and when one dies the group
# rebalances its connectors and tasks onto the other. Their internal topics are replicated as the
# profile's brokers replicate everything.
CONNECT_WORKERS=(1 2)
CONNECT_PORT=28083
# How long the group waits for a vanished worker to come back before giving its connectors to the
# others: Kafka's default is 5 minutes (a rolling restart should not move everything twice); the
# profile shortens it so a fault drill sees the move within a test's time.
CONNECT_REBALANCE_DELAY_MS=15000

# Worker N: REST port 28083, 28183.
connect_worker_port() { echo $((CONNECT_PORT + ($1 - 1) * 100)); }
connect_worker_url() { echo "http://127.0.0.1:$(connect_worker_port "$1")"; }
connect_urls() { comma_list connect_worker_url "${CONNECT_WORKERS[@]}"; }

connect_url() { connect_urls; }
connect_procs() { local n; for n in "${CONNECT_WORKERS[@]}"; do printf 'connect-%s ' "$n"; done; }

connect_start() {
  local n port props
  mkdir -p "$CONF_DIR/connect"
  kafka_java -Xmx384m
  for n in "${CONNECT_WORKERS[@]}"; do
    port="$(connect_worker_port "$n")"
    props="$CONF_DIR/connect/connect-distributed-$n.properties"
    {
      cat <<CONF
bootstrap.servers=$(kafka_bootstrap)
group.id=datafibers-connect
listeners=http://127.0.0.1:$port
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$port
config.storage.replication.factor=$KAFKA_REPLICATION
offset.storage.replication.factor=$KAFKA_REPLICATION
status.storage.replication.factor=$KAFKA_REPLICATION
producer.acks=all
scheduled.rebalance.max.delay.ms=$CONNECT_REBALANCE_DELAY_MS
CONF
      connect_worker_props | grep -v '^\(config\|offset\|status\)\.storage\.replication\.factor='
    } >"$props"
    start_proc "connect-$n" "${KAFKA_JAVA[@]}" -Xms96m org.apache.kafka.connect.cli.ConnectDistributed "$props"
  done
}

connect_ready() {
  local n
  for n in "${CONNECT_WORKERS[@]}"; do
    output_has "$(curl -sf --max-time 3 "$(connect_worker_url "$n")/connector-plugins")" \
      FileStreamSourceConnector || return 1
  done
}

connect_df_env() { echo "KAFKA_CONNECT_URL=$(connect_urls)"; }
