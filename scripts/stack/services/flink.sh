# Flink session cluster (JobManager + TaskManager) assembled from PyPI apache-flink /
# apache-flink-libraries, with the Kafka SQL connector and the Avro Confluent-registry format
# in lib/ so SQL jobs run on the TaskManager as well as plan in the gateway.
FLINK_PORT=8082
FLINK_RPC_PORT=6123
FLINK_HOME="$DF_CACHE_DIR/flink-$FLINK_VERSION"

flink_envvar() { echo FLINK_URL; }
flink_port() { echo "$FLINK_PORT"; }
flink_url() { echo "http://127.0.0.1:$FLINK_PORT"; }
flink_procs() { echo flink-jobmanager flink-taskmanager; }

flink_install() {
  installed "$FLINK_HOME" && return
  python_env
  local extra="$DF_CACHE_DIR/downloads/flink-extra-$FLINK_VERSION"
  say "assembling Flink $FLINK_VERSION in $FLINK_HOME"
  mkdir -p "$extra"
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.apache.flink:flink-sql-connector-kafka:$FLINK_KAFKA_CONNECTOR_VERSION" -DoutputDirectory="$extra" >&2
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.apache.flink:flink-sql-avro-confluent-registry:$FLINK_VERSION" -DoutputDirectory="$extra" >&2
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.apache.flink:flink-sql-gateway:$FLINK_VERSION" -DoutputDirectory="$extra" >&2
  local pyflink
  pyflink="$("$PYTHON_ENV/bin/python" -c 'import importlib.util,os;print(os.path.dirname(importlib.util.find_spec("pyflink").origin))')"
  rm -rf "$FLINK_HOME"; mkdir -p "$FLINK_HOME"
  cp -r "$pyflink/bin" "$pyflink/conf" "$pyflink/plugins" "$FLINK_HOME/"
  # Hard links: the jars are hundreds of MB and never change.
  cp -al "$pyflink/lib" "$pyflink/opt" "$FLINK_HOME/"
  cp "$extra/flink-sql-connector-kafka-$FLINK_KAFKA_CONNECTOR_VERSION.jar" \
     "$extra/flink-sql-avro-confluent-registry-$FLINK_VERSION.jar" "$FLINK_HOME/lib/"
  cp "$extra/flink-sql-gateway-$FLINK_VERSION.jar" "$FLINK_HOME/opt/"
  # pyflink's helper looks FLINK_HOME up through Python; the plain bin/.. rule is what we want.
  rm -f "$FLINK_HOME/bin/find_flink_home.py"
  mark_installed "$FLINK_HOME"
}

# The config.yaml lines of this stack's Flink; a profile adds its own after them.
flink_base_config() {
  local java_opts
  java_opts="$(awk '/^[[:space:]]+all:/ { sub(/^[[:space:]]+all:[[:space:]]*/, ""); print; exit }' "$FLINK_HOME/conf/config.yaml")"
  cat <<CONF
env.java.opts.all: $java_opts
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $FLINK_RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
jobmanager.execution.failover-strategy: region
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.numberOfTaskSlots: 8
taskmanager.memory.process.size: 2048m
parallelism.default: 1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $FLINK_PORT
web.upload.dir: $DATA_DIR/flink/uploads
io.tmp.dirs: $DATA_DIR/flink/tmp
execution.checkpointing.dir: file://$DATA_DIR/flink/checkpoints
execution.checkpointing.savepoint-dir: file://$DATA_DIR/flink/savepoints
sql-gateway.endpoint.rest.address: 127.0.0.1
sql-gateway.endpoint.rest.bind-address: 127.0.0.1
sql-gateway.endpoint.rest.port: $SQL_GATEWAY_PORT
CONF
}
flink_config() { flink_base_config; }

# One config for the JobManager, TaskManager and SQL Gateway of this stack.
flink_conf() {
  local dir="$CONF_DIR/flink"
  mkdir -p "$dir" "$DATA_DIR/flink/uploads" "$DATA_DIR/flink/tmp" "$LOG_DIR/flink" "$RUN_DIR/flink"
  cp "$FLINK_HOME/conf/"log4j*.properties "$dir/"
  # Mode 600 from the start: a profile's config holds the passwords of its key stores.
  (umask 077; flink_config >"$dir/config.yaml.tmp") && mv "$dir/config.yaml.tmp" "$dir/config.yaml"
  echo "$dir"
}

flink_env() {
  echo env FLINK_CONF_DIR="$(flink_conf)" FLINK_LOG_DIR="$LOG_DIR/flink" FLINK_PID_DIR="$RUN_DIR/flink" JAVA_HOME="$JAVA_HOME"
}

flink_start() {
  # web.tmpdir names this stack's folder on the command line, which is how proc_pid knows the
  # process for ours from the launcher script on.
  # shellcheck disable=SC2046
  start_proc flink-jobmanager $(flink_env) "$FLINK_HOME/bin/jobmanager.sh" start-foreground \
    -D web.tmpdir="$DATA_DIR/flink/tmp"
  # shellcheck disable=SC2046
  start_proc flink-taskmanager $(flink_env) "$FLINK_HOME/bin/taskmanager.sh" start-foreground \
    -D web.tmpdir="$DATA_DIR/flink/tmp"
}

flink_ready() {
  [[ "$(curl -sf --max-time 3 "http://127.0.0.1:$FLINK_PORT/overview")" =~ \"taskmanagers\":[1-9] ]]
}
