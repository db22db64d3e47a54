# Flink's session cluster with Flink's own TLS. REST (DF's calls, jar uploads, the web UI, the SQL
# Gateway's job submissions) asks every client for a certificate signed by the profile's CA: Flink
# has no password or token on REST, so mutual TLS is its authentication. RPC, blob and data traffic
# between JobManager and TaskManager is TLS with mutual authentication as well, so nothing on the
# machine can join the cluster or submit through its RPC port without a certificate either.
# The store passwords are in the config file (mode 600), never on a command line.
FLINK_PORT=18082
FLINK_RPC_PORT=16123

flink_url() { echo "https://127.0.0.1:$FLINK_PORT"; }

# Both endpoints present the profile's server certificate and trust only the profile's CA; blob,
# TaskManager RPC and data ports stay on Flink's default of any free port, so they never meet the
# default profile's cluster.
flink_tls_config() {
  local pass kind
  pass="$(store_password)"
  for kind in rest internal; do
    cat <<CONF
security.ssl.$kind.enabled: true
security.ssl.$kind.keystore: $PKI_DIR/server.p12
security.ssl.$kind.keystore-type: PKCS12
security.ssl.$kind.keystore-password: $pass
security.ssl.$kind.key-password: $pass
security.ssl.$kind.truststore: $PKI_DIR/truststore.p12
security.ssl.$kind.truststore-type: PKCS12
security.ssl.$kind.truststore-password: $pass
CONF
  done
  echo "security.ssl.rest.authentication-enabled: true"
  # Inside the cluster only its own certificate is taken, not any the CA signed (DF's, the
  # other services'): nothing but a JobManager or TaskManager of this cluster joins it.
  echo "security.ssl.internal.cert.fingerprint: $(openssl x509 -in "$PKI_DIR/server.pem" -noout -fingerprint -sha1 | cut -d= -f2)"
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
