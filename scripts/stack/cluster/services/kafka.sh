# Kafka of the cluster profile: 3 nodes, each a broker and a controller (KRaft, a 3-voter quorum), so
# one node can die and the quorum and every partition keep a leader. Internal topics and the topics
# the brokers create are replicated 3 times with 2 in sync, so a write acknowledged by `acks=all`
# survives the loss of a node.
KAFKA_NODES=(1 2 3)
KAFKA_PORT=29092
KAFKA_REPLICATION=3
KAFKA_MIN_INSYNC=2

# Node N: client port 29092, 29192, 29292; controller port one above it.
kafka_node_port() { echo $((KAFKA_PORT + ($1 - 1) * 100)); }
kafka_node_address() { echo "127.0.0.1:$(kafka_node_port "$1")"; }
kafka_bootstrap() { comma_list kafka_node_address "${KAFKA_NODES[@]}"; }

kafka_url() { kafka_bootstrap; }
kafka_procs() { local n; for n in "${KAFKA_NODES[@]}"; do printf 'kafka-%s ' "$n"; done; }

kafka_voter() { echo "$1@127.0.0.1:$(($(kafka_node_port "$1") + 1))"; }
kafka_voters() { comma_list kafka_voter "${KAFKA_NODES[@]}"; }

kafka_start() {
  local n port props cluster_id_file="$DATA_DIR/kafka-cluster-id" cluster_id
  kafka_java -Xmx128m
  # One cluster id for the three nodes, kept with the data so a restart finds the same cluster.
  [[ -s "$cluster_id_file" ]] || kafka_cluster_id >"$cluster_id_file"
  cluster_id="$(cat "$cluster_id_file")"
  for n in "${KAFKA_NODES[@]}"; do
    port="$(kafka_node_port "$n")"
    props="$CONF_DIR/kafka/server-$n.properties"
    mkdir -p "$CONF_DIR/kafka" "$DATA_DIR/kafka-$n"
    cat >"$props" <<CONF
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(kafka_voters)
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
$(kafka_log_props "$DATA_DIR/kafka-$n")
CONF
    kafka_format "$DATA_DIR/kafka-$n" "$props" "$cluster_id" "kafka-$n"
  done
  kafka_java -Xmx384m
  for n in "${KAFKA_NODES[@]}"; do
    start_proc "kafka-$n" "${KAFKA_JAVA[@]}" -Xms96m kafka.Kafka "$CONF_DIR/kafka/server-$n.properties"
  done
}

kafka_ready() {
  local n
  for n in "${KAFKA_NODES[@]}"; do
    port_open 127.0.0.1 "$(kafka_node_port "$n")" && output_has "$(log_since_start "kafka-$n")" 'Kafka Server started' || return 1
  done
}

# Topics DF creates (a schema's, stream back's, the metadata topic) are replicated as the brokers' own.
kafka_df_env() {
  echo "KAFKA_BROKERS=$(kafka_bootstrap)"
  echo "DF_TOPIC_REPLICATION=$KAFKA_REPLICATION"
  echo "DF_TOPIC_MIN_INSYNC_REPLICAS=$KAFKA_MIN_INSYNC"
}
