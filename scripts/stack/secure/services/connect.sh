# Kafka Connect of the secure profile: the same distributed worker and plugins, reaching Kafka as
# SCRAM user df over SASL_SSL, its REST API on https only, behind Kafka's own basic-auth REST
# extension (user df, secret connect-df). Its JVM trusts the profile's CA, so connectors reach the
# profile's TLS services (the MongoDB sink, the store on 27117); connector configs may name secrets
# in files with ${file:...} or ${directory:...} instead of carrying them.
CONNECT_PORT=18083
CONNECT_EXTENSIONS="$DF_CACHE_DIR/kafka-$KAFKA_VERSION/rest-extensions"

connect_url() { echo "https://127.0.0.1:$CONNECT_PORT"; }

# The default recipe's install (the worker's plugins), kept under another name to run first.
eval "$(declare -f connect_install | sed '1s/^connect_install/connect_plugins_install/')"

# The basic-auth extension goes on the worker's classpath, not plugin.path: its JAAS login module
# is looked up by the JVM's login machinery, which does not see a plugin's isolated class loader.
connect_install() {
  connect_plugins_install
  installed "$CONNECT_EXTENSIONS" && return
  say "resolving Kafka Connect's basic-auth REST extension into $CONNECT_EXTENSIONS"
  rm -rf "$CONNECT_EXTENSIONS"; mkdir -p "$CONNECT_EXTENSIONS"
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.apache.kafka:connect-basic-auth-extension:$KAFKA_VERSION" \
    -DoutputDirectory="$CONNECT_EXTENSIONS" >&2
  mark_installed "$CONNECT_EXTENSIONS"
}

# The Kafka client settings of the worker, for itself and (by prefix) its producers, consumers and
# admin client: each reads only its own prefix.
connect_kafka_client() {
  local prefix jaas
  jaas="$(kafka_scram_jaas df "$(secret_value kafka-df)")"
  for prefix in "" producer. consumer. admin.; do
    cat <<CONF
${prefix}security.protocol=SASL_SSL
${prefix}sasl.mechanism=SCRAM-SHA-512
${prefix}sasl.jaas.config=$jaas
${prefix}ssl.truststore.type=PEM
${prefix}ssl.truststore.location=$PKI_DIR/ca.pem
CONF
  done
}

connect_start() {
  local dir="$CONF_DIR/connect" pass
  local props="$dir/connect-distributed.properties" users="$dir/rest-users.properties"
  local jaas="$dir/rest-jaas.conf"
  pass="$(store_password)"
  mkdir -p "$dir"
  # The REST extension's users, name=password: the one file that holds them (mode 600).
  (umask 077; echo "df=$(secret_value connect-df)" >"$users")
  cat >"$jaas" <<CONF
KafkaConnect {
  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file="$users";
};
CONF
  # Mode 600: it holds the worker's SCRAM password and the REST key store's password.
  (umask 077; cat >"$props" <<CONF
bootstrap.servers=127.0.0.1:$KAFKA_PORT
$(connect_kafka_client)
group.id=datafibers-connect
listeners=https://127.0.0.1:$CONNECT_PORT
rest.advertised.listener=https
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$CONNECT_PORT
listeners.https.ssl.keystore.type=PKCS12
listeners.https.ssl.keystore.location=$PKI_DIR/server.p12
listeners.https.ssl.keystore.password=$pass
listeners.https.ssl.key.password=$pass
listeners.https.ssl.truststore.type=PKCS12
listeners.https.ssl.truststore.location=$PKI_DIR/truststore.p12
listeners.https.ssl.truststore.password=$pass
listeners.https.ssl.client.auth=none
rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension
config.providers=file,directory
config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
config.providers.file.param.allowed.paths=$SECRETS_DIR
config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
config.providers.directory.param.allowed.paths=$SECRETS_DIR
$(connect_worker_props)
CONF
  )
  # The JVM's default trust store (connectors' own TLS clients, e.g. the MongoDB driver) holds
  # the profile's CA, unprotected: it has no secret, so it needs no password, which Connect would
  # log with the JVM's arguments.
  local trust="$dir/ca-truststore.p12"
  if [[ ! -s "$trust" || "$PKI_DIR/ca.pem" -nt "$trust" ]]; then
    rm -f "$trust"
    "$JAVA_HOME/bin/keytool" -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE \
      -importcert -noprompt -alias df-ca -file "$PKI_DIR/ca.pem" -keystore "$trust" -storetype PKCS12 \
      -storepass unprotected >/dev/null 2>&1 || die "connect: making its trust store $trust failed"
  fi
  kafka_java -Xmx512m
  KAFKA_JAVA[-1]+=":$CONNECT_EXTENSIONS/*"
  start_proc connect "${KAFKA_JAVA[@]}" -Xms128m "-Djavax.net.ssl.trustStore=$trust" \
    -Djavax.net.ssl.trustStoreType=PKCS12 "-Djava.security.auth.login.config=$jaas" \
    org.apache.kafka.connect.cli.ConnectDistributed "$props"
}

# The credentials go to curl on its standard input, never its command line.
connect_curl() {
  curl -sf --max-time 3 --cacert "$PKI_DIR/ca.pem" -K - "$@" <<<"user = \"df:$(secret_value connect-df)\""
}

connect_ready() {
  output_has "$(connect_curl "https://127.0.0.1:$CONNECT_PORT/connector-plugins")" FileStreamSourceConnector
}

connect_df_env() {
  echo "KAFKA_CONNECT_URL=https://127.0.0.1:$CONNECT_PORT"
  echo "KAFKA_CONNECT_TLS_CA_FILE=$PKI_DIR/ca.pem"
  echo "KAFKA_CONNECT_USERNAME=df"
  echo "KAFKA_CONNECT_PASSWORD_FILE=$(secret connect-df)"
}
