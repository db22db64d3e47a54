#!/usr/bin/env bash
# The local stack: every real service DataFibers talks to, installed into a per-user cache and
# started natively on 127.0.0.1.
#
#   npm run stack -- up [SERVICE...]      install what is missing, start what is not running, wait
#   npm run stack -- down [SERVICE...]    stop what this script started
#   npm run stack -- status               one line per service: up/down, URL, pid
#   npm run stack -- logs [SERVICE]       tail a service's log (without SERVICE: list the logs)
#   npm run stack -- install              only install
#   npm run stack -- kill PROCESS...      SIGKILL a process (fault drills); `up` starts it again
#   npm run stack -- env                  paths for tools and tests (TEMPORAL_CLI_PATH=, KAFKA_HOME=...), and in
#                                         the secure profile the variables that point DF at it
#
# --profile secure (or DF_STACK_PROFILE=secure) runs the same services with their own security
# switched on (TLS everywhere, SASL/SCRAM, basic auth, mTLS), on ports of their own so it can run
# beside the default profile; its folder is .stack/secure and `env` prints how DF reaches it.
# --profile cluster runs each engine as a cluster (Temporal's services as separate processes on
# PostgreSQL, 3 Kafka brokers, 2 Connect workers, 2 Flink TaskManagers) and DF itself as 2 API and
# 2 worker processes, on ports of its own (.stack/cluster).
#
# DF_CACHE_DIR (default ~/.cache/datafibers) holds downloads and builds; DF_STACK_HOME (default
# .stack/ in the checkout) holds data, pids and logs. A service whose env var (TEMPORAL_ADDRESS,
# MONGO_URL, KAFKA_BROKERS, KAFKA_CONNECT_URL, SCHEMA_REGISTRY_URL, FLINK_URL,
# FLINK_SQL_GATEWAY_URL) points elsewhere is left alone.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/profile-arg.sh"
set -- ${PASSED_ARGS[@]+"${PASSED_ARGS[@]}"}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Start-up waves: at most a few JVMs boot at once on two cores, and each wave needs the last. A
# profile may add a wave of its own.
WAVES=("temporal store kafka" "connect registry flink" "sql-gateway")
for recipe in "$STACK_SCRIPTS"/services/*.sh; do source "$recipe"; done
# A profile's recipes redefine the functions and ports of the services it changes.
if [[ "$DF_STACK_PROFILE" != default ]]; then
  source "$STACK_SCRIPTS/$DF_STACK_PROFILE/profile.sh"
  for recipe in "$STACK_SCRIPTS/$DF_STACK_PROFILE"/services/*.sh; do source "$recipe"; done
fi

fn() { echo "${1//-/_}_$2"; }            # service name -> recipe function
call() { "$(fn "$1" "$2")"; }

selected_services() {
  if (($# == 0)); then echo "${ALL_SERVICES[@]}"; return; fi
  local s
  for s in "$@"; do
    [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || die "unknown service '$s' (one of: ${ALL_SERVICES[*]})"
  done
  echo "$@"
}

external() { is_external "$(call "$1" envvar)" "$(call "$1" port)"; }

service_running() {
  local p
  for p in $(call "$1" procs); do proc_alive "$p" || return 1; done
}

# The install lane of a service: lanes run side by side, a lane's installs one after another.
# A recipe may name its own lane (SERVICE_lane), e.g. a long build that should not wait for Maven.
install_lane() {
  if declare -F "$(fn "$1" lane)" >/dev/null; then call "$1" lane; return; fi
  case "$1" in
    temporal) echo python ;;
    store) echo go ;;
    flink|sql-gateway) echo flink ;;
    *) echo maven ;;
  esac
}

install_services() {
  local services=("$@") s
  # A profile's shared material (certificates, credentials) comes first: recipes read it.
  if declare -F profile_prepare >/dev/null; then profile_prepare; fi
  # Python (pip), Go and Maven downloads run side by side; each recipe's install is idempotent.
  # Flink is assembled afterwards: it needs both the Python env and the Maven repo.
  local -A lanes=()
  local need_flink=0 lane
  for s in "${services[@]}"; do
    external "$s" && continue
    lane="$(install_lane "$s")"
    if [[ "$lane" == flink ]]; then need_flink=1; lanes[python]+=""; continue; fi
    lanes[$lane]+=" $s"
  done
  local pids=() logs="$LOG_DIR/install"
  mkdir -p "$logs"
  for lane in "${!lanes[@]}"; do
    (
      [[ "$lane" == python ]] && python_env
      for s in ${lanes[$lane]}; do call "$s" install; done
    ) >"$logs/$lane.log" 2>&1 & pids+=($!)
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if ((failed)); then
    tail -n 30 "$logs"/*.log >&2
    die "install failed; logs in $logs"
  fi
  if ((need_flink)); then
    flink_install >>"$logs/maven.log" 2>&1 || { tail -n 30 "$logs/maven.log" >&2; die "flink install failed"; }
  fi
}

cmd_up() {
  local services; read -r -a services <<<"$(selected_services "$@")"
  local t0=$SECONDS
  install_services "${services[@]}"
  local wave s waiting failed
  for wave in "${WAVES[@]}"; do
    waiting=()
    for s in $wave; do
      [[ " ${services[*]} " == *" $s "* ]] || continue
      if external "$s"; then
        local var; var="$(call "$s" envvar)"
        say "$s: using ${!var} (not started here)"; continue
      fi
      if service_running "$s"; then continue; fi
      if revive_members "$s"; then waiting+=("$s"); continue; fi
      # A half-running service (one of two processes gone) is restarted whole.
      local p; for p in $(call "$s" procs); do stop_proc "$p"; done
      require_free_port "$s" "$(call "$s" port)" "$(call "$s" envvar)"
      say "starting $s"
      call "$s" start
      waiting+=("$s")
    done
    failed=0
    local pids=()
    for s in "${waiting[@]}"; do
      (
        # shellcheck disable=SC2046
        wait_until "$s" "${DF_STACK_TIMEOUT:-240}" $(call "$s" procs) -- "$(fn "$s" ready)" &&
          if declare -F "$(fn "$s" after_ready)" >/dev/null; then call "$s" after_ready; fi
      ) & pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
    ((failed)) && die "stack up failed (logs in $LOG_DIR)"
  done
  # Services already running are checked too, so `up` returning 0 means every one answers.
  for s in "${services[@]}"; do
    external "$s" && continue
    "$(fn "$s" ready)" || die "$s is running but does not answer its readiness check (see $(log_file "$(call "$s" procs | cut -d' ' -f1)"))"
  done
  if declare -F profile_env >/dev/null; then profile_env >"$DF_STACK_HOME/df.env"; fi
  say "stack up in $((SECONDS - t0))s"
}

# In a profile whose services are clusters (PROFILE_REVIVES_MEMBERS), a service with some members
# gone gets only those started again, as an orchestrator replaces a failed node: the others go on
# serving. Not when all are gone: that is a stopped service, started whole.
revive_members() {
  [[ -n "${PROFILE_REVIVES_MEMBERS:-}" ]] || return 1
  local p gone=() alive=0
  for p in $(call "$1" procs); do
    if proc_alive "$p"; then alive=1; else gone+=("$p"); fi
  done
  ((alive)) || return 1
  for p in "${gone[@]}"; do [[ -f "$RUN_DIR/$p.cmd" ]] || return 1; done
  for p in "${gone[@]}"; do say "starting $p again"; revive_proc "$p"; done
}

# kill PROCESS...: SIGKILL, for fault drills (a process of a service, as `status` and `logs` name them).
cmd_kill() {
  (($#)) || die "kill needs a process name (one of: $(all_procs))"
  local p
  for p in "$@"; do
    [[ " $(all_procs) " == *" $p "* ]] || die "unknown process '$p' (one of: $(all_procs))"
    say "killing $p"; kill_proc "$p"
  done
}
all_procs() { local s; for s in "${ALL_SERVICES[@]}"; do call "$s" procs; echo -n ' '; done | tr -s ' '; }

cmd_down() {
  local services; read -r -a services <<<"$(selected_services "$@")"
  local i s p
  # Reverse order: dependants first.
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    s="${services[$i]}"
    for p in $(call "$s" procs); do
      if proc_alive "$p"; then say "stopping $p"; stop_proc "$p"; fi
    done
  done
}

cmd_status() {
  local s p pids state all_up=0
  for s in "${ALL_SERVICES[@]}"; do
    if external "$s"; then
      local var; var="$(call "$s" envvar)"
      printf '%-12s %-9s %-58s %s\n' "$s" external "${!var}" "-"
      continue
    fi
    pids=(); state=up
    for p in $(call "$s" procs); do
      if pid="$(proc_pid "$p")"; then pids+=("$pid"); else state=down; fi
    done
    if [[ "$state" == up ]] && ! "$(fn "$s" ready)" >/dev/null 2>&1; then state=starting; fi
    [[ "$state" == up ]] || all_up=1
    printf '%-12s %-9s %-58s %s\n' "$s" "$state" "$(call "$s" url)" "pid ${pids[*]:--}"
  done
  return $all_up
}

cmd_logs() {
  if (($# == 0)); then ls -1 "$LOG_DIR"/*.log 2>/dev/null; return; fi
  local s; read -r -a s <<<"$(selected_services "$1")"
  local files=() p
  for p in $(call "$s" procs); do files+=("$(log_file "$p")"); done
  exec tail -n "${DF_LOG_LINES:-100}" -F "${files[@]}"
}

# Paths tools and tests need, as KEY=VALUE lines.
cmd_env() {
  echo "TEMPORAL_CLI_PATH=$TEMPORAL_BIN"
  echo "DF_CACHE_DIR=$DF_CACHE_DIR"
  echo "DF_STACK_HOME=$DF_STACK_HOME"
  echo "FLINK_HOME=$FLINK_HOME"
  echo "KAFKA_HOME=$KAFKA_HOME"
  echo "JAVA_HOME=$JAVA_HOME"
  echo "DF_STACK_PROFILE=$DF_STACK_PROFILE"
  if declare -F profile_env >/dev/null; then profile_env; fi
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  env) cmd_env ;;
  kill) shift; cmd_kill "$@" ;;
  install) shift; read -r -a svc <<<"$(selected_services "$@")"; install_services "${svc[@]}" ;;
  *) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
