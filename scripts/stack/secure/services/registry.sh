# Secure registry: Apicurio Registry over HTTPS only, every request authenticated by OIDC against a
# Keycloak of its own (a second process of this service), as Apicurio is secured in production.
# Confluent-style clients (DF, Flink's avro-confluent format) send HTTP basic auth
# `client-id:client-secret`; Apicurio trades it for a token at Keycloak (client-credentials grant)
# and authorizes by the token's realm roles: DF's client `df` holds sr-developer (subjects, schemas,
# per-subject compatibility), the stack's own client `registry-admin` sr-admin (global rules).
REGISTRY_PORT=18081
REGISTRY_MANAGEMENT_PORT=18091
REGISTRY_CCOMPAT="https://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"

KEYCLOAK_VERSION=26.7.3
KEYCLOAK_PORT=18443
KEYCLOAK_MANAGEMENT_PORT=19000
KEYCLOAK_REALM=datafibers
KEYCLOAK_URL="https://127.0.0.1:$KEYCLOAK_PORT"
# `kc.sh build` bakes these into the install, so the install's folder is keyed by them: a changed
# option builds a new one instead of starting an install built for other options. Keycloak keeps
# its database (H2, dev-file) in this stack's data folder: creating its schema and realms takes
# longer than the rest of its start.
KEYCLOAK_BUILD_OPTIONS=(--db=dev-file --health-enabled=true)
KEYCLOAK_HOME="$DF_CACHE_DIR/keycloak-$KEYCLOAK_VERSION-$(printf '%s\n' "${KEYCLOAK_BUILD_OPTIONS[@]}" | sha256sum | cut -c1-8)"

registry_port() { echo "$REGISTRY_PORT"; }
registry_url() { echo "$REGISTRY_CCOMPAT"; }
registry_procs() { echo registry-keycloak registry; }
# Keycloak's download and build (about a minute) should not hold up the Maven lane.
registry_lane() { echo registry; }

# The default recipe's Apicurio install, kept under a name of its own before registry_install is redefined.
eval "$(declare -f registry_install | sed '1s/^registry_install/apicurio_install/')"

registry_java21() {
  find_java21_home || die "registry: Apicurio $APICURIO_VERSION and Keycloak $KEYCLOAK_VERSION need Java 21 or newer; set DF_JAVA21_HOME"
}

keycloak_install() {
  installed "$KEYCLOAK_HOME" && return
  local java21 dl="$DF_CACHE_DIR/downloads"
  java21="$(registry_java21)"
  say "fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
  mkdir -p "$dl"
  "${MVN[@]}" "$MVN_COPY" -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" \
    -DoutputDirectory="$dl" >&2
  rm -rf "$KEYCLOAK_HOME"; mkdir -p "$KEYCLOAK_HOME"
  tar -xzf "$dl/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$KEYCLOAK_HOME" --strip-components=1
  say "building Keycloak for ${KEYCLOAK_BUILD_OPTIONS[*]}"
  JAVA_HOME="$java21" JAVA_OPTS_KC_HEAP="-Xmx512m" "$KEYCLOAK_HOME/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTIONS[@]}" >&2
  mark_installed "$KEYCLOAK_HOME"
}

registry_install() {
  apicurio_install
  keycloak_install
}

# The realm Apicurio authenticates against: its roles, DF's client and the stack's admin client,
# with their secrets, so the file is the secrets' other copy (mode 600).
keycloak_realm_json() {
  local df_secret admin_secret
  df_secret="$(secret_value registry-df)"
  admin_secret="$(secret_value registry-admin)"
  cat <<EOF
{
  "realm": "$KEYCLOAK_REALM",
  "enabled": true,
  "sslRequired": "all",
  "roles": { "realm": [{ "name": "sr-admin" }, { "name": "sr-developer" }, { "name": "sr-readonly" }] },
  "clients": [
    $(keycloak_client_json df "$df_secret"),
    $(keycloak_client_json registry-admin "$admin_secret")
  ],
  "users": [
    { "username": "service-account-df", "enabled": true, "serviceAccountClientId": "df", "realmRoles": ["sr-developer"] },
    { "username": "service-account-registry-admin", "enabled": true, "serviceAccountClientId": "registry-admin", "realmRoles": ["sr-admin"] }
  ]
}
EOF
}

# A confidential client that only gets tokens for itself (client-credentials grant).
keycloak_client_json() {
  printf '{ "clientId": "%s", "secret": "%s", "enabled": true, "publicClient": false, "clientAuthenticatorType": "client-secret", "serviceAccountsEnabled": true, "standardFlowEnabled": false, "directAccessGrantsEnabled": false, "implicitFlowEnabled": false, "protocol": "openid-connect" }' "$1" "$2"
}

keycloak_start() {
  local java21 import="$CONF_DIR/keycloak-import" data="$DATA_DIR/registry-keycloak" realm_sum
  java21="$(registry_java21)"
  rm -rf "$import"; mkdir -p "$import"; chmod 700 "$import"
  (umask 077; keycloak_realm_json >"$import/$KEYCLOAK_REALM-realm.json")
  # Keycloak imports a realm only when it has none of that name: a realm file that changed (a new
  # secret, a changed client) starts it on a fresh database.
  realm_sum="$(sha256sum <"$import/$KEYCLOAK_REALM-realm.json" | cut -c1-64)"
  if [[ "$(cat "$data/.realm-sha256" 2>/dev/null)" != "$realm_sum" ]]; then
    rm -rf "$data"; mkdir -p "$data"; chmod 700 "$data"
    echo "$realm_sum" >"$data/.realm-sha256"
  fi
  (
    umask 077
    cat >"$CONF_DIR/keycloak.conf" <<EOF
http-enabled=false
http-host=127.0.0.1
https-port=$KEYCLOAK_PORT
https-certificate-file=$PKI_DIR/server.pem
https-certificate-key-file=$PKI_DIR/server.key
hostname=$KEYCLOAK_URL
db-url=jdbc:h2:file:$data/keycloakdb;NON_KEYWORDS=VALUE
http-management-port=$KEYCLOAK_MANAGEMENT_PORT
cache=local
log-level=warn
EOF
  )
  # The import folder and the transaction log are this stack's, not the install's (shared by every
  # checkout). The bootstrap admin (for the admin console) comes by environment, never on the
  # command line.
  (
    # kc.sh's own JAVA_OPTS less G1 (the serial collector keeps a small heap's RSS small).
    export JAVA_HOME="$java21" JAVA_OPTS="-Xms64m -Xmx512m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m \
-XX:+UseSerialGC -XX:ActiveProcessorCount=2 -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 \
-Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 -Djava.security.egd=file:/dev/urandom \
-Djdk.tls.rejectClientInitiatedRenegotiation=true" \
      JAVA_OPTS_APPEND="-Dkeycloak.migration.dir=$import -Dquarkus.transaction-manager.object-store.directory=$data/transaction-logs" \
      KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(secret_value registry-keycloak-admin)"
    start_proc registry-keycloak "$KEYCLOAK_HOME/bin/kc.sh" --config-file="$CONF_DIR/keycloak.conf" \
      start --optimized --import-realm
  )
}

# A trust store without a password (it holds only the profile's CA) for the JVM's default TLS
# context: Apicurio's token requests to Keycloak go through it, and no password is then needed on
# the command line.
registry_trust_store() {
  local store="$CONF_DIR/registry-truststore.p12" java21
  java21="$(registry_java21)"
  rm -f "$store"
  "$java21/bin/keytool" -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE \
    -importcert -noprompt -alias df-ca -file "$PKI_DIR/ca.pem" -keystore "$store" -storetype PKCS12 \
    -storepass changeit >/dev/null 2>&1
  echo "$store"
}

apicurio_start() {
  local java21 props="$CONF_DIR/registry.properties" store
  java21="$(registry_java21)"
  store="$(registry_trust_store)"
  mkdir -p "$DATA_DIR/registry"
  # The H2 file is embedded (no listener): its folder's permissions guard it, as in the default profile.
  (
    umask 077
    cat >"$props" <<EOF
quarkus.http.host=127.0.0.1
quarkus.http.ssl-port=$REGISTRY_PORT
quarkus.http.insecure-requests=disabled
quarkus.tls.key-store.pem.registry.cert=$PKI_DIR/server.pem
quarkus.tls.key-store.pem.registry.key=$PKI_DIR/server.key
quarkus.management.host=127.0.0.1
quarkus.management.port=$REGISTRY_MANAGEMENT_PORT
quarkus.management.tls-configuration-name=management
quarkus.tls.management.key-store.pem.registry.cert=$PKI_DIR/server.pem
quarkus.tls.management.key-store.pem.registry.key=$PKI_DIR/server.key
quarkus.oidc.tenant-enabled=true
quarkus.oidc.auth-server-url=$KEYCLOAK_URL/realms/$KEYCLOAK_REALM
quarkus.oidc.tls.tls-configuration-name=keycloak
quarkus.tls.keycloak.trust-store.pem.certs=$PKI_DIR/ca.pem
apicurio.authn.basic-client-credentials.enabled=true
apicurio.auth.role-based-authorization=true
apicurio.auth.role-source=token
apicurio.storage.kind=sql
apicurio.storage.sql.kind=h2
apicurio.datasource.url=jdbc:h2:file:$DATA_DIR/registry/registry
apicurio.datasource.username=sa
apicurio.datasource.password=sa
quarkus.log.level=WARN
quarkus.banner.enabled=false
EOF
  )
  start_proc registry "$java21/bin/java" -Xmx384m -Xms64m -XX:+UseSerialGC -XX:ActiveProcessorCount=2 \
    "-Djavax.net.ssl.trustStore=$store" -Djavax.net.ssl.trustStoreType=PKCS12 \
    "-Dquarkus.config.locations=$props" -jar "$REGISTRY_HOME/quarkus-run.jar"
}

# Side by side: Apicurio's OIDC client, finding Keycloak not up yet, connects at the first request.
registry_start() {
  keycloak_start
  apicurio_start
}

# registry_curl CLIENT_ID SECRET_NAME curl-args...: the credentials go to curl as a config file on
# stdin, so the secret is never on its command line.
registry_curl() {
  local client="$1" secret_name="$2"; shift 2
  printf 'user = "%s:%s"\n' "$client" "$(secret_value "$secret_name")" |
    curl -sf --max-time 10 --cacert "$PKI_DIR/ca.pem" -K - "$@"
}

registry_ready() { registry_curl df registry-df -o /dev/null "$REGISTRY_CCOMPAT/subjects"; }

# As in the default profile: BACKWARD once per data folder, here by the admin client (sr-admin),
# since global rules are beyond DF's role.
registry_after_ready() {
  local marker="$DATA_DIR/registry/.compatibility-set"
  [[ -f "$marker" ]] && return
  registry_curl registry-admin registry-admin -o /dev/null -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD"}' "$REGISTRY_CCOMPAT/config" && touch "$marker"
}

registry_df_env() {
  echo "SCHEMA_REGISTRY_URL=$REGISTRY_CCOMPAT"
  echo "SCHEMA_REGISTRY_TLS_CA_FILE=$PKI_DIR/ca.pem"
  echo "SCHEMA_REGISTRY_USERNAME=df"
  echo "SCHEMA_REGISTRY_PASSWORD_FILE=$(secret registry-df)"
}
