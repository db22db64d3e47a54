# Kafka of the secure profile: the same KRaft single node, with clients and the broker itself
# speaking SASL_SSL (SCRAM-SHA-512 or SCRAM-SHA-256) on its only client listener, and the controller
# listener on TLS with client certificates (mTLS). The SCRAM users are written into the metadata log
# when the storage is formatted:
#   admin  the broker's own inter-broker login (secret kafka-admin)
#   df     DataFibers, Kafka Connect and Flink's jobs (secret kafka-df)
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093

kafka_url() { echo "SASL_SSL://127.0.0.1:$KAFKA_PORT"; }

# kafka_java_args FILE ARG...: writes ARGs one a line into FILE (mode 600), for `java @FILE`: the
# launcher reads them from the file, so the passwords among them never show in the process list.
kafka_java_args() {
  local file="$1"; shift
  (umask 077; printf '%s\n' "$@" >"$file")
}

kafka_scram_jaas() {
  echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$2\";"
}

# The client settings of user df, for the readiness check and Kafka's own command-line tools.
kafka_client_properties() {
  local file="$CONF_DIR/kafka/df-client.properties"
  mkdir -p "$CONF_DIR/kafka"
  (umask 077; cat >"$file" <<CONF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(kafka_scram_jaas df "$(secret_value kafka-df)")
ssl.truststore.type=PEM
ssl.truststore.location=$PKI_DIR/ca.pem
CONF
  )
  echo "$file"
}

kafka_start() {
  local props="$CONF_DIR/kafka/server.properties" pass
  pass="$(store_password)"
  mkdir -p "$CONF_DIR/kafka" "$DATA_DIR/kafka"
  # Mode 600: it holds the broker's SCRAM password and the store password.
  (umask 077; cat >"$props" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$(kafka_scram_jaas admin "$(secret_value kafka-admin)")
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$PKI_DIR/server.p12
ssl.keystore.password=$pass
ssl.key.password=$pass
ssl.truststore.type=PKCS12
ssl.truststore.location=$PKI_DIR/truststore.p12
ssl.truststore.password=$pass
listener.name.controller.ssl.client.auth=required
$(kafka_log_props "$DATA_DIR/kafka")
CONF
  )
  # SCRAM users exist only from the format on: a log formatted with other passwords than the
  # secrets now hold would refuse DF with no hint why, so that is said here instead.
  local stamp="$DATA_DIR/kafka/scram-users.sha256" users
  users="$(printf 'admin=%s df=%s' "$(secret_value kafka-admin)" "$(secret_value kafka-df)" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$DATA_DIR/kafka/meta.properties" ]]; then
    [[ "$(cat "$stamp" 2>/dev/null)" == "$users" ]] ||
      die "kafka: $DATA_DIR/kafka was formatted with other SCRAM passwords than $SECRETS_DIR/kafka-{admin,df} hold; delete $DATA_DIR/kafka to format it anew"
  else
    local cluster_id args="$CONF_DIR/kafka/format.args"
    kafka_java -Xmx128m
    cluster_id="$(kafka_cluster_id)"
    local df_pw; df_pw="$(secret_value kafka-df)"
    kafka_java_args "$args" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" --ignore-formatted \
      --add-scram "SCRAM-SHA-512=[name=admin,password=$(secret_value kafka-admin)]" \
      --add-scram "SCRAM-SHA-512=[name=df,password=$df_pw]" \
      --add-scram "SCRAM-SHA-256=[name=df,password=$df_pw]"
    # Its output lists the users' salted keys: kept out of the log unless the format fails.
    local out ok=0
    out="$("${KAFKA_JAVA[@]}" "@$args" 2>&1)" || ok=$?
    rm -f "$args"
    if ((ok != 0)); then
      echo "$out" >>"$(log_file kafka)"
      die "kafka: formatting $DATA_DIR/kafka failed, see $(log_file kafka)"
    fi
    echo "formatted $DATA_DIR/kafka (cluster $cluster_id) with SCRAM users admin, df" >>"$(log_file kafka)"
    (umask 077; echo "$users" >"$stamp")
  fi
  kafka_java -Xmx512m
  start_proc kafka "${KAFKA_JAVA[@]}" -Xms128m kafka.Kafka "$props"
}

# Ready when user df, over SASL_SSL with the profile's CA, gets the cluster id from the broker. The
# log line and open port come first: the check's own JVM then starts only once the broker is up.
kafka_ready() {
  port_open 127.0.0.1 "$KAFKA_PORT" && output_has "$(log_since_start kafka)" 'Kafka Server started' || return 1
  local out
  out="$("$JAVA" -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile="$(kafka_log4j)" \
    -cp "$KAFKA_HOME/lib/*" org.apache.kafka.tools.ClusterTool cluster-id \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$(kafka_client_properties)" 2>&1)" || return 1
  output_has "$out" 'Cluster ID:'
}

kafka_df_env() {
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "FLINK_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "KAFKA_SECURITY_PROTOCOL=SASL_SSL"
  echo "KAFKA_SASL_MECHANISM=SCRAM-SHA-512"
  echo "KAFKA_SASL_USERNAME=df"
  echo "KAFKA_SASL_PASSWORD_FILE=$(secret kafka-df)"
  echo "KAFKA_TLS_CA_FILE=$PKI_DIR/ca.pem"
}
