# The secure profile: every service with its own security switched on, as teams run them in
# production. Shared material lives in the profile's folder:
#   pki/      a CA made here with openssl, one server certificate for 127.0.0.1 and localhost, a
#             client certificate for DF (CN datafibers), and the same as PKCS12 stores for JVMs
#   secrets/  one generated credential per file (mode 600), read by the services and by DF
#             through NAME_FILE variables, so no secret is ever on a command line or in df.env
# Each service's recipe in secure/services/ redefines that service's ports and functions.
PKI_DIR="$DF_STACK_HOME/pki"
SECRETS_DIR="$DF_STACK_HOME/secrets"

# secret NAME [COMMAND...]: the path of a generated credential, made on first use from what COMMAND
# prints (by default 16 random bytes in hex).
secret() {
  local file="$SECRETS_DIR/$1"
  local make=("${@:2}")
  ((${#make[@]})) || make=(openssl rand -hex 16)
  if [[ ! -s "$file" ]]; then
    mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
    (umask 077; "${make[@]}" >"$file.tmp") && mv "$file.tmp" "$file"
  fi
  echo "$file"
}
secret_value() { cat "$(secret "$1")"; }

# The password of every PKCS12 store the profile makes (the JVMs' key and trust stores).
store_password() { secret_value pki-store; }

pki_prepare() {
  [[ -f "$PKI_DIR/.installed" ]] && return
  command -v openssl >/dev/null || die "secure profile: openssl is needed to make its certificates (apt-get install openssl)"
  local keytool="$JAVA_HOME/bin/keytool"
  say "making the secure profile's CA and certificates in $PKI_DIR"
  rm -rf "$PKI_DIR"; mkdir -p "$PKI_DIR"; chmod 700 "$PKI_DIR"
  (
    set -e
    cd "$PKI_DIR"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes) pass
    pass="$(store_password)"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 825 -subj "/CN=DataFibers local secure CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    local name cn
    for name in server client; do
      cn=localhost; [[ "$name" == client ]] && cn=datafibers
      openssl req "${ec[@]}" -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn" 2>/dev/null
      openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
        -extfile "$name.ext" -out "$name.pem" 2>/dev/null
      # PKCS#8 keys: Java's PEM readers (Kafka, Flink) take no other form.
      openssl pkcs8 -topk8 -nocrypt -in "$name.key" -out "$name.key.pk8" && mv "$name.key.pk8" "$name.key"
      cat "$name.pem" "$name.key" >"$name-cert-key.pem"
      openssl pkcs12 -export -in "$name.pem" -inkey "$name.key" -certfile ca.pem -name "$name" \
        -out "$name.p12" -passout "pass:$pass"
    done
    "$keytool" -importcert -noprompt -alias df-ca -file ca.pem -keystore truststore.p12 \
      -storetype PKCS12 -storepass "$pass" >/dev/null
    rm -f ./*.csr ./*.ext ca.srl
    chmod 600 ./*
  ) || die "secure profile: making certificates failed"
  mark_installed "$PKI_DIR"
}

profile_prepare() { pki_prepare; }

# The variables that point DF (npm start, the tests) at this profile. Secrets by file only.
profile_env() {
  local s
  echo "DF_STACK_PROFILE=secure"
  for s in "${ALL_SERVICES[@]}"; do
    if declare -F "$(fn "$s" df_env)" >/dev/null; then call "$s" df_env; fi
  done
}
