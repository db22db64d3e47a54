# Confluent-compatible Schema Registry: Apicurio Registry 3 (Quarkus fast-jar from Maven Central),
# Confluent API under /apis/ccompat/v7, schemas kept in an H2 file so they survive a restart.
REGISTRY_PORT=8081
REGISTRY_MANAGEMENT_PORT=8091
REGISTRY_HOME="$DF_CACHE_DIR/apicurio-registry-$APICURIO_VERSION"
REGISTRY_CCOMPAT="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"

registry_envvar() { echo SCHEMA_REGISTRY_URL; }
registry_port() { echo "$REGISTRY_PORT"; }
registry_url() { echo "$REGISTRY_CCOMPAT"; }
registry_procs() { echo registry; }

registry_install() {
  installed "$REGISTRY_HOME" && return
  say "fetching Apicurio Registry $APICURIO_VERSION from Maven Central"
  local dl="$DF_CACHE_DIR/downloads"
  mkdir -p "$dl"
  "${MVN[@]}" "$MVN_COPY" -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$dl" >&2
  rm -rf "$REGISTRY_HOME"; mkdir -p "$REGISTRY_HOME"
  tar -xzf "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$REGISTRY_HOME"
  [[ -f "$REGISTRY_HOME/quarkus-run.jar" ]] || die "registry: quarkus-run.jar missing from the Apicurio archive"
  mark_installed "$REGISTRY_HOME"
}

registry_start() {
  local java21
  java21="$(find_java21_home)" || die "registry: Apicurio $APICURIO_VERSION needs Java 21 or newer; set DF_JAVA21_HOME"
  mkdir -p "$DATA_DIR/registry"
  start_proc registry "$java21/bin/java" -Xmx384m -Xms64m -XX:+UseSerialGC -XX:ActiveProcessorCount=2 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    "-Dapicurio.datasource.url=jdbc:h2:file:$DATA_DIR/registry/registry" \
    -Dapicurio.datasource.username=sa -Dapicurio.datasource.password=sa \
    -Dquarkus.log.level=WARN -Dquarkus.banner.enabled=false \
    -jar "$REGISTRY_HOME/quarkus-run.jar"
}

registry_ready() { http_ok "$REGISTRY_CCOMPAT/subjects"; }

# Apicurio answers NONE when no global compatibility is set; Confluent's registry defaults to
# BACKWARD. Set BACKWARD once, on the first start of a data folder, so both behave alike and a
# later choice of the user's is kept.
registry_after_ready() {
  local marker="$DATA_DIR/registry/.compatibility-set"
  [[ -f "$marker" ]] && return
  curl -sf -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD"}' "$REGISTRY_CCOMPAT/config" >/dev/null &&
    touch "$marker"
}
