# The cluster profile: each engine as the cluster a team runs in production, scaled down to fit one
# machine, and DF itself scaled out to 2 API and 2 worker processes:
#   temporal     the real server, frontend, history, matching and worker as separate processes, on
#                PostgreSQL with SQL visibility
#   kafka        3 brokers (KRaft, each also a controller); topics replicated 3 times, 2 in sync
#   connect      2 workers in one group
#   flink        a JobManager and 2 TaskManagers; the SQL Gateway
#   registry     one Apicurio, store one FerretDB (DF's own record; a single node here)
#   df           2 API processes and 2 worker processes of the checkout's build (npm run build)
# Its engines speak plaintext, as the default profile's do; the secure profile holds the security
# settings. PostgreSQL is set up as the secure profile's (TLS, scram-sha-256), so the profile's CA
# and generated secrets live here too, in pki/ and secrets/.
source "$STACK_SCRIPTS/secure/profile.sh"

ALL_SERVICES+=(df)
PROFILE_REVIVES_MEMBERS=1
WAVES+=("df")

# The variables every DF process of the profile runs with: where each engine is, and DF's settings.
df_process_env() {
  local s
  for s in "${ALL_SERVICES[@]}"; do
    [[ "$s" == df ]] && continue
    if declare -F "$(fn "$s" df_env)" >/dev/null; then call "$s" df_env; fi
  done
  df_settings_env
}

# The same for tests and tools, with where the profile's DF API processes listen.
profile_env() {
  echo "DF_STACK_PROFILE=cluster"
  df_process_env
  echo "DF_CLUSTER_API_URLS=$(df_api_urls)"
}
