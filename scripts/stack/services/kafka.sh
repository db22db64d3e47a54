# Kafka broker, KRaft single node (broker + controller in one JVM), jars from Maven Central.
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_HOME="$DF_CACHE_DIR/kafka-$KAFKA_VERSION"

kafka_envvar() { echo KAFKA_BROKERS; }
kafka_port() { echo "$KAFKA_PORT"; }
kafka_url() { echo "127.0.0.1:$KAFKA_PORT"; }
kafka_procs() { echo kafka; }

# The broker and Connect share one classpath (scripts/stack/maven/kafka-pom.xml).
kafka_install() {
  installed "$KAFKA_HOME/lib" && return
  say "resolving Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_HOME/lib"
  rm -rf "$KAFKA_HOME/lib"; mkdir -p "$KAFKA_HOME/lib"
  "${MVN[@]}" -f "$STACK_SCRIPTS/maven/kafka-pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/lib" >&2
  mark_installed "$KAFKA_HOME/lib"
}

kafka_log4j() {
  mkdir -p "$CONF_DIR/kafka"
  cat >"$CONF_DIR/kafka/log4j2.properties" <<CONF
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = org.apache.kafka
logger.kafka.level = warn
logger.kafkaserver.name = kafka
logger.kafkaserver.level = warn
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = info
logger.connect.name = org.apache.kafka.connect
logger.connect.level = info
logger.reflections.name = org.reflections
logger.reflections.level = error
CONF
  echo "$CONF_DIR/kafka/log4j2.properties"
}

kafka_cluster_id() { "${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid; }

# kafka_format DIR PROPS CLUSTER-ID PROC: formats a node's log folder for KRaft, once (a formatted
# folder is left as it is); PROC names the log the tool's output goes to.
kafka_format() {
  local dir="$1" props="$2" cluster_id="$3" proc="$4"
  [[ -f "$dir/meta.properties" ]] && return
  "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" --ignore-formatted \
    >>"$(log_file "$proc")" 2>&1 || die "kafka: formatting $dir failed, see $(log_file "$proc")"
}

# kafka_java HEAP: sets KAFKA_JAVA to the java command line of the broker's classpath. Heap caps
# keep the whole stack under 8 GB on the 2-core machine.
kafka_java() {
  KAFKA_JAVA=("$JAVA" "$1" -XX:+UseSerialGC -XX:ActiveProcessorCount=2
    "-Dlog4j2.configurationFile=$(kafka_log4j)" -cp "$KAFKA_HOME/lib/*")
}

# The log and internal-topic settings every profile shares, for the log folder $1: one broker here,
# so everything is replicated once; the cluster profile raises KAFKA_REPLICATION and KAFKA_MIN_INSYNC.
KAFKA_REPLICATION=1
KAFKA_MIN_INSYNC=1
kafka_log_props() {
  cat <<CONF
log.dirs=$1
num.partitions=1
default.replication.factor=$KAFKA_REPLICATION
min.insync.replicas=$KAFKA_MIN_INSYNC
offsets.topic.replication.factor=$KAFKA_REPLICATION
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$KAFKA_REPLICATION
transaction.state.log.min.isr=$KAFKA_MIN_INSYNC
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION
share.coordinator.state.topic.min.isr=$KAFKA_MIN_INSYNC
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
auto.create.topics.enable=true
CONF
}

kafka_start() {
  local props="$CONF_DIR/kafka/server.properties"
  mkdir -p "$CONF_DIR/kafka" "$DATA_DIR/kafka"
  cat >"$props" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
$(kafka_log_props "$DATA_DIR/kafka")
CONF
  if [[ ! -f "$DATA_DIR/kafka/meta.properties" ]]; then
    kafka_java -Xmx128m
    kafka_format "$DATA_DIR/kafka" "$props" "$(kafka_cluster_id)" kafka
  fi
  kafka_java -Xmx512m
  start_proc kafka "${KAFKA_JAVA[@]}" -Xms128m kafka.Kafka "$props"
}

# Ready when the broker says it has started (after recovery), not merely when its port is open.
kafka_ready() {
  port_open 127.0.0.1 "$KAFKA_PORT" && output_has "$(log_since_start kafka)" 'Kafka Server started'
}
