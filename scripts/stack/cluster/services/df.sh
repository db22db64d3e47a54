# DF itself, scaled out: 2 API processes (npm run api) and 2 worker processes (npm run worker) of
# this checkout's build, on the same task queue, store and data folder. Clients may call either API
# process; either worker may run any workflow or activity. The status-sync schedule has one fixed id
# per task queue, so however many workers start, there is one schedule.
# DF runs as a deployment does, not in dev mode: an admin API token and a payload key are generated
# into secrets/ and reach the processes as *_FILE variables.
DF_API_PORT=28080
DF_API_PROCS=(1 2)
DF_WORKER_PROCS=(1 2)

df_envvar() { echo DF_CLUSTER_URL; }
df_port() { echo "$DF_API_PORT"; }
# API process N: port 28080, 28180; worker N: Temporal runtime metrics on 29464, 29564, probes
# (/livez, /readyz) on 29480, 29580.
df_api_port() { echo $((DF_API_PORT + ($1 - 1) * 100)); }
df_worker_metrics_port() { echo $((29464 + ($1 - 1) * 100)); }
df_worker_probe_port() { echo $((29480 + ($1 - 1) * 100)); }
df_api_url() { echo "http://127.0.0.1:$(df_api_port "$1")"; }
df_api_urls() { comma_list df_api_url "${DF_API_PROCS[@]}"; }
df_url() { df_api_urls; }
df_procs() {
  local n
  for n in "${DF_API_PROCS[@]}"; do printf 'df-api-%s ' "$n"; done
  for n in "${DF_WORKER_PROCS[@]}"; do printf 'df-worker-%s ' "$n"; done
}

# The processes run the checkout's dist/: built here when it is missing (the test scripts build first).
df_install() {
  [[ -f "$REPO_ROOT/dist/src/api-main.js" ]] && return
  say "df: building DF (npm run build)"
  (cd "$REPO_ROOT" && npm run build >&2) || die "df: npm run build failed"
}

df_token_line() { printf '%s:admin' "$(openssl rand -hex 24)"; }
df_payload_key_line() { printf 'cluster1:%s' "$(openssl rand -base64 32)"; }

# The settings every DF process of the profile shares (also in df.env, for tests and tools).
df_settings_env() {
  echo "DF_DATA_DIR=$DATA_DIR/df"
  echo "DF_API_TOKENS_FILE=$(secret df-api-tokens df_token_line)"
  echo "DF_PAYLOAD_KEY_FILE=$(secret df-payload-key df_payload_key_line)"
  echo "DF_DEV_MODE=false"
}

# df_start_proc NAME SCRIPT VAR=VALUE...: one DF process with the profile's variables and nothing of
# the caller's environment (a test or a shell starting the stack must not change how DF runs). The
# stack's folder is its last argument (which DF ignores) so the stack knows the process for its own.
df_start_proc() {
  local name="$1" script="$2"; shift 2
  local vars=() line
  while IFS= read -r line; do [[ -n "$line" ]] && vars+=("$line"); done < <(df_process_env)
  start_proc "$name" env -i PATH="$PATH" HOME="$HOME" "${vars[@]}" "$@" MALLOC_ARENA_MAX=2 \
    node "$REPO_ROOT/dist/src/$script" "$DF_STACK_HOME"
}

df_start() {
  local n
  mkdir -p "$DATA_DIR/df"
  for n in "${DF_WORKER_PROCS[@]}"; do
    df_start_proc "df-worker-$n" worker-main.js DF_WORKER_METRICS="127.0.0.1:$(df_worker_metrics_port "$n")" \
      DF_PROBE_ADDRESS="127.0.0.1:$(df_worker_probe_port "$n")"
  done
  for n in "${DF_API_PROCS[@]}"; do
    df_start_proc "df-api-$n" api-main.js DF_PORT="$(df_api_port "$n")" DF_HOST=127.0.0.1 DF_WORKER_METRICS=off
  done
}

# Ready as an orchestrator sees it: every process's /readyz (the API's on its port, a worker's on its
# probe listener) says what it needs answers.
df_ready() {
  local n
  for n in "${DF_API_PROCS[@]}"; do http_ok "$(df_api_url "$n")/readyz" || return 1; done
  for n in "${DF_WORKER_PROCS[@]}"; do http_ok "http://127.0.0.1:$(df_worker_probe_port "$n")/readyz" || return 1; done
}
