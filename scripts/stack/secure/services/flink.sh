# Flink's session cluster with Flink's own TLS. REST (DF's calls, jar uploads, the web UI, the SQL
# Gateway's job submissions) asks every client for a certificate signed by the profile's CA: Flink
# has no password or token on REST, so mutual TLS is its authentication. RPC, blob and data traffic
# between JobManager and TaskManager is mutual TLS with a certificate of the cluster's own, so
# nothing else on the machine, DF's client certificate included, can join the cluster or talk to
# its RPC port. The store passwords are in the config file (mode 600), never on a command line.
FLINK_PORT=18082
FLINK_RPC_PORT=16123

flink_url() { echo "https://127.0.0.1:$FLINK_PORT"; }

# Flink's advice for internal TLS: a self-signed certificate that only the cluster has, one store as
# both key and trust store, so the cluster's processes trust each other and nothing else.
flink_internal_store() {
  local store="$PKI_DIR/flink-internal.p12"
  if [[ ! -s "$store" ]]; then
    rm -f "$store.tmp"
    "$JAVA_HOME/bin/keytool" -genkeypair -alias flink-internal -keyalg EC -groupname secp256r1 -validity 825 \
      -dname CN=flink-internal -storetype PKCS12 -keystore "$store.tmp" -storepass:file "$(secret pki-store)" \
      >/dev/null 2>&1 || die "flink: making the cluster's internal certificate failed"
    chmod 600 "$store.tmp" && mv "$store.tmp" "$store"
  fi
  echo "$store"
}

flink_tls_config() {
  local pass internal
  pass="$(store_password)"
  internal="$(flink_internal_store)"
  cat <<CONF
security.ssl.rest.enabled: true
security.ssl.rest.authentication-enabled: true
security.ssl.rest.keystore: $PKI_DIR/server.p12
security.ssl.rest.keystore-type: PKCS12
security.ssl.rest.keystore-password: $pass
security.ssl.rest.key-password: $pass
security.ssl.rest.truststore: $PKI_DIR/truststore.p12
security.ssl.rest.truststore-type: PKCS12
security.ssl.rest.truststore-password: $pass
security.ssl.internal.enabled: true
security.ssl.internal.keystore: $internal
security.ssl.internal.keystore-type: PKCS12
security.ssl.internal.keystore-password: $pass
security.ssl.internal.key-password: $pass
security.ssl.internal.truststore: $internal
security.ssl.internal.truststore-type: PKCS12
security.ssl.internal.truststore-password: $pass
CONF
  # Flink offers only TLS_RSA_WITH_AES_128_CBC_SHA unless told otherwise; the profile's keys are EC.
  echo "security.ssl.algorithms: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
}
flink_config() { flink_base_config; flink_tls_config; }

# curl with DF's client certificate: the only way in to the REST endpoints of this profile.
flink_tls_curl() {
  curl -sf --max-time 3 --cacert "$PKI_DIR/ca.pem" --cert "$PKI_DIR/client.pem" --key "$PKI_DIR/client.key" "$@"
}

flink_ready() {
  [[ "$(flink_tls_curl "https://127.0.0.1:$FLINK_PORT/overview")" =~ \"taskmanagers\":[1-9] ]]
}

flink_df_env() {
  echo "FLINK_URL=$(flink_url)"
  echo "FLINK_TLS_CA_FILE=$PKI_DIR/ca.pem"
  echo "FLINK_TLS_CERT_FILE=$PKI_DIR/client.pem"
  echo "FLINK_TLS_KEY_FILE=$PKI_DIR/client.key"
}
