# Kafka Connect distributed worker: FileStreamSource/Sink and the MongoDB sink connector on
# plugin.path (the FileStream connectors are kept off the worker classpath since Kafka 3.2).
CONNECT_PORT=8083
CONNECT_PLUGINS="$DF_CACHE_DIR/kafka-$KAFKA_VERSION/plugins"

connect_envvar() { echo KAFKA_CONNECT_URL; }
connect_port() { echo "$CONNECT_PORT"; }
connect_url() { echo "http://127.0.0.1:$CONNECT_PORT"; }
connect_procs() { echo connect; }

connect_install() {
  kafka_install
  installed "$CONNECT_PLUGINS" && return
  say "resolving Kafka Connect plugins into $CONNECT_PLUGINS"
  rm -rf "$CONNECT_PLUGINS"; mkdir -p "$CONNECT_PLUGINS"
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.apache.kafka:connect-file:$KAFKA_VERSION" \
    -DoutputDirectory="$CONNECT_PLUGINS/connect-file" >&2
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.mongodb.kafka:mongo-kafka-connect:$MONGO_CONNECTOR_VERSION:jar:all" \
    -DoutputDirectory="$CONNECT_PLUGINS/mongo-kafka-connect" >&2
  mark_installed "$CONNECT_PLUGINS"
}

# The worker settings every profile shares: converters, internal topics, plugins.
connect_worker_props() {
  cat <<CONF
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
config.storage.topic=_connect-configs
offset.storage.topic=_connect-offsets
status.storage.topic=_connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.replication.factor=1
status.storage.partitions=1
offset.flush.interval.ms=1000
plugin.path=$CONNECT_PLUGINS
plugin.discovery=hybrid_warn
CONF
}

connect_start() {
  local props="$CONF_DIR/connect/connect-distributed.properties"
  mkdir -p "$CONF_DIR/connect"
  local brokers="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
  cat >"$props" <<CONF
bootstrap.servers=$brokers
group.id=datafibers-connect
listeners=http://127.0.0.1:$CONNECT_PORT
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$CONNECT_PORT
$(connect_worker_props)
CONF
  kafka_java -Xmx512m
  start_proc connect "${KAFKA_JAVA[@]}" -Xms128m org.apache.kafka.connect.cli.ConnectDistributed "$props"
}

connect_ready() {
  output_has "$(curl -sf --max-time 3 "http://127.0.0.1:$CONNECT_PORT/connector-plugins")" FileStreamSourceConnector
}
