# Flink of the cluster profile: one JobManager and 2 TaskManagers, each TaskManager with fewer slots
# than the default profile's one, so jobs spread over both and the loss of one is a real failover
# (its jobs restart on the other's free slots, from their last checkpoint).
FLINK_PORT=28082
FLINK_RPC_PORT=26123
FLINK_TASKMANAGERS=(1 2)

flink_procs() { local n; printf 'flink-jobmanager '; for n in "${FLINK_TASKMANAGERS[@]}"; do printf 'flink-taskmanager-%s ' "$n"; done; }

flink_config() {
  flink_base_config | grep -v '^taskmanager\.\(numberOfTaskSlots\|memory\.process\.size\):'
  cat <<CONF
taskmanager.numberOfTaskSlots: 3
taskmanager.memory.process.size: 1280m
CONF
}

flink_start() {
  local conf n
  conf="$(flink_conf)"
  start_proc flink-jobmanager env FLINK_CONF_DIR="$conf" FLINK_LOG_DIR="$LOG_DIR/flink" FLINK_PID_DIR="$RUN_DIR/flink" \
    JAVA_HOME="$JAVA_HOME" "$FLINK_HOME/bin/jobmanager.sh" start-foreground -D web.tmpdir="$DATA_DIR/flink/tmp"
  # Each TaskManager logs into a folder of its own: Flink names its log files by host, not by process.
  for n in "${FLINK_TASKMANAGERS[@]}"; do
    mkdir -p "$LOG_DIR/flink/tm-$n"
    start_proc "flink-taskmanager-$n" env FLINK_CONF_DIR="$conf" FLINK_LOG_DIR="$LOG_DIR/flink/tm-$n" \
      FLINK_PID_DIR="$RUN_DIR/flink" JAVA_HOME="$JAVA_HOME" "$FLINK_HOME/bin/taskmanager.sh" start-foreground \
      -D web.tmpdir="$DATA_DIR/flink/tmp"
  done
}

flink_ready() {
  [[ "$(curl -sf --max-time 3 "http://127.0.0.1:$FLINK_PORT/overview")" =~ \"taskmanagers\":${#FLINK_TASKMANAGERS[@]} ]]
}

flink_df_env() { echo "FLINK_URL=http://127.0.0.1:$FLINK_PORT"; }
