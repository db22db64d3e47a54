# The SQL Gateway with Flink's TLS. Its REST endpoint is Flink's RestServerEndpoint, built from the
# cluster's config (secure/services/flink.sh), so it takes the same security.ssl.rest.* options:
# TLS with the profile's server certificate, and a client certificate signed by the profile's CA
# required of every caller. The same options make its own calls to the JobManager's REST TLS,
# showing the server certificate (made for client use too) as its client certificate.
SQL_GATEWAY_PORT=18084

sql_gateway_url() { echo "https://127.0.0.1:$SQL_GATEWAY_PORT"; }

sql_gateway_ready() { flink_tls_curl -o /dev/null "https://127.0.0.1:$SQL_GATEWAY_PORT/v1/info"; }

sql_gateway_df_env() {
  echo "FLINK_SQL_GATEWAY_URL=$(sql_gateway_url)"
  echo "FLINK_SQL_GATEWAY_TLS_CA_FILE=$PKI_DIR/ca.pem"
  echo "FLINK_SQL_GATEWAY_TLS_CERT_FILE=$PKI_DIR/client.pem"
  echo "FLINK_SQL_GATEWAY_TLS_KEY_FILE=$PKI_DIR/client.key"
}
