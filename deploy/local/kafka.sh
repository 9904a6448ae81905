#!/usr/bin/env bash
# Local Apache Kafka for development and tests, without Docker: one broker (the default) or a
# KRaft cluster of LIANXIN_KAFKA_BROKERS nodes on loopback.
#
#   deploy/local/kafka.sh {up|status|down|clean|env}
#   deploy/local/kafka.sh {kill-node|stop-node|start-node} N     (N = 1..LIANXIN_KAFKA_BROKERS)
#
# Runs the real broker (KRaft; every node is both broker and controller) from the jars that
# Maven fetches from Maven Central according to deploy/local/kafka/pom.xml. Normally called by
# deploy/local/infra.sh; see deploy/local/README.md.
#
# LIANXIN_KAFKA_BROKERS=3 (`make run BROKERS=3`): node i (1..3) listens on client port
# LIANXIN_KAFKA_PORT + 2*(i-1) and controller port LIANXIN_KAFKA_CONTROLLER_PORT + 2*(i-1)
# (defaults: 19092/19093, 19094/19095, 19096/19097); the three are the controller quorum;
# default.replication.factor=3, min.insync.replicas=2, the internal topics replicated 3 times
# (min ISR 2). `env` prints every node's address and LIANXIN_TOPIC_REPLICATION=3 /
# LIANXIN_TOPIC_MIN_INSYNC=2, which the services' topic creation reads (shared/topics.py).
# `status`, `env` follow the node count of the last `up` when LIANXIN_KAFKA_BROKERS is unset;
# `down` and `clean` handle every node of the state dir.
#
# One node at a time, for failure tests:
#   kill-node N    SIGKILL node N's broker and its supervisor: it stays down (no restart)
#   stop-node N    stop node N cleanly (SIGTERM through its supervisor)
#   start-node N   start node N again (under a new supervisor) and wait until it answers
# A plain `kill -9 $(cat <state>/kafka/node<N>/kafka.pid)` is restarted by the supervisor
# after 0.5 s instead.
#
# State (under $LIANXIN_STATE_DIR, default <repo>/.local):
#   kafka/libs/            the broker's jars (+ .pom.sha256: the pom they were fetched for)
#   kafka/cluster.id       the cluster id the storage was formatted with
#   kafka/brokers          the node count of the last `up` (1, or the cluster's size)
# One broker (the default), in kafka/ itself; node N of a cluster, in kafka/node<N>/:
#   data/                  the log dir (topics and the KRaft metadata log)
#   server.properties      generated at every start from the LIANXIN_KAFKA_* ports
#   kafka.pid              pid of the running broker (written by its supervisor at each start)
#   supervise.pid          pid of the supervisor (supervise.py), which restarts a broker that died
#   supervise.json         the supervisor's state: running/restarting/given up, restarts, last exit
#   logs/kafka.log         broker log (log4j) and the JVM's own stdout/stderr (logs/kafka-<N>.log
#                          for node N of a cluster)
set -euo pipefail

LOG_TAG=kafka
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_ROOT="$STATE_DIR/kafka"
LIBS_DIR="$KAFKA_ROOT/libs"
CLUSTER_ID_FILE="$KAFKA_ROOT/cluster.id"
COUNT_FILE="$KAFKA_ROOT/brokers"
POM="$LOCAL_DIR/kafka/pom.xml"
LOG4J_CONFIG="$LOCAL_DIR/kafka/log4j2.xml"
POM_STAMP="$LIBS_DIR/.pom.sha256"
VENV_PYTHON="$REPO_ROOT/.venv/bin/python"
JVM_OPTS=(-Xms256m -Xmx512m -Djava.awt.headless=true)

# How many nodes: LIANXIN_KAFKA_BROKERS for `up`; for the other commands, that or the count
# of the last `up` on this state dir.
recorded_count() { cat "$COUNT_FILE" 2>/dev/null || echo 1; }
BROKERS="${LIANXIN_KAFKA_BROKERS:-}"
[[ -n "$BROKERS" ]] || { [[ "${1:-}" == up ]] && BROKERS=1 || BROKERS="$(recorded_count)"; }
[[ "$BROKERS" =~ ^[1-9]$ ]] || die "LIANXIN_KAFKA_BROKERS must be a number of nodes from 1 to 9, got '$BROKERS'"

# The node the functions below work on (select_node): its paths, ports and log. Node 0 is the
# single broker of the default deployment, in kafka/ itself, exactly as before clusters;
# node N (1..BROKERS) of a cluster lives in kafka/node<N>/.
select_node() {
  NODE="$1"
  if ((NODE == 0)); then
    KAFKA_HOME="$KAFKA_ROOT"
    LOG_FILE="$LOG_DIR/kafka.log"
    NODE_PORT="$KAFKA_PORT"
    NODE_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT"
    NODE_NAME="Kafka broker"
  else
    KAFKA_HOME="$KAFKA_ROOT/node$NODE"
    LOG_FILE="$LOG_DIR/kafka-$NODE.log"
    NODE_PORT=$((KAFKA_PORT + 2 * (NODE - 1)))
    NODE_CONTROLLER_PORT=$((KAFKA_CONTROLLER_PORT + 2 * (NODE - 1)))
    NODE_NAME="Kafka node $NODE"
  fi
  DATA_DIR="$KAFKA_HOME/data"
  PROPS="$KAFKA_HOME/server.properties"
  PID_FILE="$KAFKA_HOME/kafka.pid"
  SUP_PID_FILE="$KAFKA_HOME/supervise.pid"
  SUP_STATE="$KAFKA_HOME/supervise.json"
}

# The nodes of the deployment in use: 0 (one broker) or 1..BROKERS.
nodes() { if ((BROKERS == 1)); then echo 0; else seq 1 "$BROKERS"; fi; }

# Every node this state dir has had (for down and clean): the single broker and any node<N>.
known_nodes() {
  local dir
  echo 0
  for dir in "$KAFKA_ROOT"/node[0-9]*; do
    [[ -d "$dir" ]] && echo "${dir##*/node}"
  done
  return 0
}

# client and controller ports of node N of a BROKERS-node cluster
node_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
node_controller_port() { echo $((KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }

bootstrap_servers() {
  local n out=""
  for n in $(nodes); do
    select_node "$n"
    out+="${out:+,}127.0.0.1:$NODE_PORT"
  done
  echo "$out"
}

usage() {
  echo "usage: $0 {up|status|down|clean|env} | {kill-node|stop-node|start-node} N" >&2
  exit 2
}

# Prerequisites --------------------------------------------------------------------------------
# Installs a Debian package when we are root (as postgres.sh does for the server); otherwise
# the caller's message says what to install.
apt_install() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  info "installing $* (apt-get)"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; }; } \
    >&2 9>&-
}

require_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless ||
    die "Java 17+ is required to run Kafka 4.x: apt-get install openjdk-17-jre-headless"
  local spec
  spec="$(java -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  # "1.8" style versions are older than 9, so the first number alone is enough.
  if [[ ! "${spec%%.*}" =~ ^[0-9]+$ ]] || ((${spec%%.*} < 17)); then
    die "Java 17+ is required to run Kafka 4.x (found '${spec:-unknown}'): apt-get install openjdk-17-jre-headless"
  fi
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven ||
    die "Maven is required to fetch the Kafka jars from Maven Central: apt-get install maven"
}

pom_sha() { sha256sum "$POM" | cut -d' ' -f1; }

# True when libs/ holds the jars for the current pom.xml.
libs_current() {
  [[ -f "$POM_STAMP" && "$(cat "$POM_STAMP")" == "$(pom_sha)" ]] &&
    compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null
}

# Fetch the broker's runtime jars when libs/ is missing or was fetched for another pom. The jars
# land in a temporary folder first and replace libs/ only when Maven succeeded, so an
# interrupted download never leaves a half-filled libs/ that the next start would trust.
install_libs() {
  if libs_current; then
    return 0
  fi
  require_maven
  local tmp="$LIBS_DIR.tmp" mvn_log="$LOG_DIR/maven.log" t0=$SECONDS
  info "fetching the Kafka jars with Maven (about 45 MB on the first run) into $LIBS_DIR"
  rm -rf "$tmp"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$mvn_log" 2>&1 9>&-; then
    show_log_tail "$mvn_log"
    die "Maven could not fetch the Kafka jars (full output: $mvn_log)"
  fi
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  pom_sha >"$POM_STAMP"
  info "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0))s"
}

# Broker configuration -------------------------------------------------------------------------
# The quorum: node 1 alone (one broker), or every node of the cluster.
quorum_voters() {
  local n out=""
  if ((NODE == 0)); then
    echo "1@127.0.0.1:${KAFKA_CONTROLLER_PORT}"
    return 0
  fi
  for n in $(seq 1 "$BROKERS"); do
    out+="${out:+,}$n@127.0.0.1:$(node_controller_port "$n")"
  done
  echo "$out"
}

write_config() {
  # One node: every internal topic has a single replica. A cluster: three replicas (or as many
  # as there are nodes), two of them in sync for a write to count (acks=all).
  local rf=1 isr=1
  if ((NODE > 0)); then
    rf=$((BROKERS < 3 ? BROKERS : 3))
    isr=$((rf > 1 ? 2 : 1))
  fi
  mkdir -p "$KAFKA_HOME"
  cat >"$PROPS" <<CONF
# Generated by deploy/local/kafka.sh at every start: edit the script, not this file.
process.roles=broker,controller
node.id=$((NODE > 0 ? NODE : 1))
controller.quorum.voters=$(quorum_voters)
listeners=PLAINTEXT://127.0.0.1:${NODE_PORT},CONTROLLER://127.0.0.1:${NODE_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${NODE_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${DATA_DIR}

offsets.topic.replication.factor=${rf}
transaction.state.log.replication.factor=${rf}
transaction.state.log.min.isr=${isr}
share.coordinator.state.topic.replication.factor=${rf}
share.coordinator.state.topic.min.isr=${isr}
default.replication.factor=${rf}
min.insync.replicas=${isr}

# Tests join and leave consumer groups all the time: do not wait 3 s before the first rebalance.
group.initial.rebalance.delay.ms=0
# The project creates its topics itself, with their partition counts; a typo in a topic name
# must fail rather than silently create a new topic.
auto.create.topics.enable=false
num.partitions=3
CONF
}

# A KRaft cluster id: URL-safe base64 of 16 random bytes without padding (22 characters).
# Kafka's own generator never hands out an id starting with '-' (it would read as an option).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && break
  done
  echo "$id"
}

# Format the log dir once. meta.properties is what the formatter writes; --ignore-formatted
# keeps a re-run harmless anyway. With controller.quorum.voters set, --standalone must NOT be
# given (it is for controller.quorum.bootstrap.servers). Every node of a cluster is formatted
# with the same cluster id.
format_storage() {
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  [[ -s "$CLUSTER_ID_FILE" ]] || new_cluster_id >"$CLUSTER_ID_FILE"
  local cluster_id
  cluster_id="$(cat "$CLUSTER_ID_FILE")"
  info "formatting $DATA_DIR (cluster id $cluster_id)"
  mkdir -p "$DATA_DIR"
  if ! java -Xmx256m -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dlianxin.kafka.log="$LOG_FILE" \
    -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$PROPS" --ignore-formatted >>"$LOG_FILE" 2>&1 9>&-; then
    show_log_tail "$LOG_FILE"
    die "formatting the Kafka storage failed"
  fi
}

# Processes ------------------------------------------------------------------------------------
# Our broker is the java process running kafka.Kafka with our server.properties: that is how a
# broker is found even when its pid file was lost (and never someone else's broker).
find_broker_pids() { find_pids_by_cmdline "kafka.Kafka" "$PROPS" | filter_by_comm java; }

# The pid of our running broker, or nothing.
broker_pid() {
  local pid=""
  [[ -f "$PID_FILE" ]] && pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if pid_alive "$pid" && [[ "$(proc_cmdline "$pid")" == *kafka.Kafka*"$PROPS"* ]]; then
    echo "$pid"
    return 0
  fi
  find_broker_pids | head -n 1
}

# Called when no broker of ours runs: anything on our ports belongs to someone else. Checked
# before fetching or formatting anything, so that the error comes at once.
check_ports_free() {
  local port
  for port in "$NODE_PORT" "$NODE_CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "port $port is already in use by another process (not our broker); set LIANXIN_KAFKA_PORT / LIANXIN_KAFKA_CONTROLLER_PORT"
    fi
  done
}

start_broker() {
  # setsid + nohup: the broker and its supervisor must outlive this script and the terminal or
  # CI step that ran it, and must not get the Ctrl-C meant for the caller. 9>&- closes the lock
  # fd (common.sh), which they would otherwise hold for their whole life. cwd = KAFKA_HOME so
  # that a JVM crash file (hs_err_pid*.log) lands in the state dir. The supervisor restarts a
  # broker that dies (kill -9 included) and writes its pid to kafka.pid at each start.
  rm -f "$PID_FILE"
  (
    cd "$KAFKA_HOME"
    exec setsid nohup python3 "$SUPERVISE_PY" run --name "kafka${NODE#0}" --state "$SUP_STATE" \
      --pid-file "$PID_FILE" --stop-timeout "$((STOP_TIMEOUT > 10 ? STOP_TIMEOUT - 5 : STOP_TIMEOUT))" \
      -- java "${JVM_OPTS[@]}" \
      -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dlianxin.kafka.log="$LOG_FILE" \
      -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS" >>"$LOG_FILE" 2>&1 </dev/null 9>&-
  ) &
  local pid=$!
  echo "$pid" >"$SUP_PID_FILE"
  echo "$pid"
}

our_supervisor() { supervisor_pid "$SUP_STATE" "$SUP_PID_FILE"; }

# Readiness ------------------------------------------------------------------------------------
# With the project's venv: ask the broker for metadata through aiokafka (what the services
# will do). Without it: the broker's "Kafka Server started" line in the part of the log written
# since LOG_OFFSET, plus the port answering.
can_probe_with_python() {
  [[ -x "$VENV_PYTHON" ]] && "$VENV_PYTHON" -c 'import aiokafka' >/dev/null 2>&1
}

broker_answers() {
  local use_python="$1" log_offset="$2"
  port_open "$NODE_PORT" || return 1
  if ((use_python)); then
    "$VENV_PYTHON" "$LOCAL_DIR/kafka_ready.py" "127.0.0.1:$NODE_PORT" 8 2>/dev/null
  else
    tail -c "+$((log_offset + 1))" "$LOG_FILE" 2>/dev/null | grep -q 'Kafka Server started'
  fi
}

wait_ready() {
  local pid="$1" log_offset="$2" use_python=0 deadline=$((SECONDS + READY_TIMEOUT))
  can_probe_with_python && use_python=1
  until broker_answers "$use_python" "$log_offset"; do
    if ! pid_alive "$pid"; then
      show_log_tail "$LOG_FILE" 60
      supervisor_summary "$SUP_STATE" >&2
      die "$NODE_NAME (pid $pid) exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$LOG_FILE" 60
      die "$NODE_NAME (pid $pid) was not ready on 127.0.0.1:$NODE_PORT after ${READY_TIMEOUT}s"
    fi
    sleep 0.5
  done
}

# A broker that is already running keeps the ports it was started with.
check_running_config() {
  grep -qx "listeners=PLAINTEXT://127.0.0.1:${NODE_PORT},CONTROLLER://127.0.0.1:${NODE_CONTROLLER_PORT}" \
    "$PROPS" 2>/dev/null ||
    die "$NODE_NAME was started with other ports ($(grep '^listeners=' "$PROPS" 2>/dev/null || echo '?')); run '$0 down' first"
}

# True when the selected node's broker or its supervisor runs.
node_running() { [[ -n "$(our_supervisor)" || -n "$(broker_pid)" ]]; }

# One broker and a cluster share the first ports: never both on one state dir.
check_no_other_deployment() {
  local n
  for n in $(known_nodes); do
    if { ((BROKERS == 1)) && ((n > 0)); } || { ((BROKERS > 1)) && { ((n == 0)) || ((n > BROKERS)); }; }; then
      select_node "$n"
      if node_running; then
        die "$NODE_NAME of another deployment runs on this state dir (asked for $BROKERS broker(s)); run '$0 down' first"
      fi
    fi
  done
}

# Sub-commands ---------------------------------------------------------------------------------
# Prepare and start the selected node if it does not run; print "<pid> <log offset>" of what
# to wait for (a node already running: its supervisor or broker).
launch_node() {
  local pid
  pid="$(our_supervisor)"
  if [[ -n "$pid" ]]; then
    # Supervised: the broker runs, or is about to be restarted; either way it is ours.
    check_running_config
    info "$NODE_NAME already runs under its supervisor (pid $pid) on 127.0.0.1:$NODE_PORT: reusing it"
    echo "$pid" >"$SUP_PID_FILE" # in case the pid file was lost
    echo "$pid $(file_size "$LOG_FILE")"
  elif pid="$(broker_pid)" && [[ -n "$pid" ]]; then
    check_running_config
    info "$NODE_NAME already runs (pid $pid) on 127.0.0.1:$NODE_PORT: reusing it"
    info "note: this broker was started without a supervisor (nothing restarts it if it dies); '$0 down' and up again to supervise it"
    echo "$pid" >"$PID_FILE" # in case the pid file was lost
    echo "$pid $(file_size "$LOG_FILE")"
  else
    check_ports_free
    write_config
    rotate_log "$LOG_FILE"
    format_storage
    local offset
    offset="$(file_size "$LOG_FILE")"
    pid="$(start_broker)"
    info "$NODE_NAME started (pid $pid) on 127.0.0.1:$NODE_PORT; log: $LOG_FILE"
    echo "$pid $offset"
  fi
}

cmd_up() {
  check_port_number LIANXIN_KAFKA_PORT "$KAFKA_PORT"
  check_port_number LIANXIN_KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  local last=$((BROKERS == 1 ? 0 : 2 * (BROKERS - 1)))
  check_port_number LIANXIN_KAFKA_PORT "$((KAFKA_PORT + last))"
  check_port_number LIANXIN_KAFKA_CONTROLLER_PORT "$((KAFKA_CONTROLLER_PORT + last))"
  if ((BROKERS > 1)) && (((KAFKA_PORT - KAFKA_CONTROLLER_PORT) % 2 == 0)); then
    die "the client and controller ports must differ by an odd number for a cluster (node N uses port + 2*(N-1)); got $KAFKA_PORT and $KAFKA_CONTROLLER_PORT"
  fi
  take_lock
  mkdir -p "$KAFKA_ROOT" "$LOG_DIR"
  check_no_other_deployment
  local t0=$SECONDS n launched waits=() needs_setup=0
  for n in $(nodes); do
    select_node "$n"
    node_running || needs_setup=1
  done
  if ((needs_setup)); then
    require_python
    require_java
    install_libs
  fi
  libs_current || info "note: pom.xml changed since the jars were fetched; run '$0 down' and up again to use the new ones"
  echo "$BROKERS" >"$COUNT_FILE"
  # Every node starts before any is waited for: a cluster node is ready only once a quorum of
  # controllers has elected a leader.
  for n in $(nodes); do
    select_node "$n"
    launched="$(launch_node)"
    waits+=("$n $launched")
  done
  info "waiting up to ${READY_TIMEOUT}s for $(bootstrap_servers)"
  local entry pid offset
  for entry in "${waits[@]}"; do
    read -r n pid offset <<<"$entry"
    select_node "$n"
    wait_ready "$pid" "$offset"
  done
  info "ready on $(bootstrap_servers) ($((SECONDS - t0))s)"
  cmd_env
}

node_status() {
  local pid supervisor label=kafka
  pid="$(broker_pid)"
  supervisor="$(our_supervisor)"
  ((NODE == 0)) || label="kafka node $NODE"
  # How the supervisor fares (restarts, last exit, a crash loop given up); nothing after a stop.
  [[ "$(supervisor_summary "$SUP_STATE")" == *": stopped,"* ]] ||
    supervisor_summary "$SUP_STATE" | sed 's/^/  supervisor: /'
  if [[ -z "$pid" ]]; then
    if [[ -n "$supervisor" ]]; then
      echo "$label: restarting under its supervisor (pid $supervisor)"
    else
      echo "$label: not running"
    fi
    return 3
  fi
  if port_open "$NODE_PORT"; then
    [[ -n "$supervisor" ]] || echo "  (not supervised: started before supervision; '$0 down' and up again to supervise it)"
    echo "$label: running (pid $pid) on 127.0.0.1:$NODE_PORT, data $DATA_DIR"
    return 0
  fi
  echo "$label: process $pid is running but 127.0.0.1:$NODE_PORT does not answer (starting, or stuck: see $LOG_FILE)"
  return 3
}

cmd_status() {
  local n rc=0
  for n in $(nodes); do
    select_node "$n"
    node_status || rc=3
  done
  return "$rc"
}

# Stop the selected node: the supervisor first (it stops the broker with SIGTERM and does not
# start it again), then the pid file's process and any broker found by its command line (pid
# file lost or stale, an unsupervised broker, or a second one started by hand on the same
# state dir).
stop_node() {
  local pids pid supervisor
  supervisor="$(our_supervisor)"
  [[ -z "$supervisor" ]] || stop_pid "$supervisor" "the supervisor of the $NODE_NAME"
  rm -f "$SUP_PID_FILE"
  pids="$({
    broker_pid
    find_broker_pids
  } | sort -un)"
  for pid in $pids; do
    stop_pid "$pid" "$NODE_NAME"
  done
  rm -f "$PID_FILE"
  [[ -n "$supervisor$pids" ]]
}

cmd_down() {
  take_lock
  local n stopped=0
  for n in $(known_nodes); do
    select_node "$n"
    if stop_node; then stopped=1; fi
  done
  ((stopped)) || info "not running"
}

cmd_clean() {
  cmd_down
  local n
  info "removing the Kafka data and the generated files (keeping the jars in $LIBS_DIR)"
  for n in $(known_nodes); do
    select_node "$n"
    rm -rf "$DATA_DIR" "$PROPS" "$SUP_STATE" "$LOG_FILE" "$LOG_FILE.1" "$KAFKA_HOME"/hs_err_pid*.log
    ((n == 0)) || rmdir "$KAFKA_HOME" 2>/dev/null || true
  done
  rm -f "$CLUSTER_ID_FILE" "$COUNT_FILE"
  rm -rf "$LIBS_DIR.tmp"
}

cmd_env() {
  echo "export KAFKA_BOOTSTRAP_SERVERS=$(bootstrap_servers)"
  if ((BROKERS > 1)); then
    local rf=$((BROKERS < 3 ? BROKERS : 3))
    echo "export LIANXIN_TOPIC_REPLICATION=$rf"
    echo "export LIANXIN_TOPIC_MIN_INSYNC=$((rf > 1 ? 2 : 1))"
  fi
}

# The node N of the current deployment (1 = the single broker when there is one).
select_node_arg() {
  local n="${1:-}"
  [[ "$n" =~ ^[1-9]$ ]] && ((n <= BROKERS)) || die "a node number from 1 to $BROKERS is required"
  select_node "$((BROKERS == 1 ? 0 : n))"
}

# SIGKILL a node's broker (a crash) and its supervisor, which would start it again: it stays
# down until start-node. The supervisor is frozen first, so that it cannot restart the broker
# between the two kills.
cmd_kill_node() {
  select_node_arg "${1:-}"
  local supervisor pid
  supervisor="$(our_supervisor)"
  pid="$(broker_pid)"
  [[ -n "$supervisor$pid" ]] || die "$NODE_NAME is not running"
  [[ -z "$supervisor" ]] || kill -STOP "$supervisor" 2>/dev/null || true
  [[ -z "$pid" ]] || kill -KILL "$pid" 2>/dev/null || true
  [[ -z "$supervisor" ]] || kill -KILL "$supervisor" 2>/dev/null || true
  rm -f "$SUP_PID_FILE" "$PID_FILE"
  info "$NODE_NAME killed (SIGKILL: broker pid ${pid:-none}, supervisor pid ${supervisor:-none})"
}

cmd_stop_node() {
  select_node_arg "${1:-}"
  take_lock
  stop_node || info "$NODE_NAME was not running"
}

cmd_start_node() {
  select_node_arg "${1:-}"
  take_lock
  require_python
  require_java
  install_libs
  local t0=$SECONDS pid offset launched
  launched="$(launch_node)"
  read -r pid offset <<<"$launched"
  wait_ready "$pid" "$offset"
  info "$NODE_NAME ready on 127.0.0.1:$NODE_PORT ($((SECONDS - t0))s)"
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  clean) cmd_clean ;;
  env) cmd_env ;;
  kill-node) cmd_kill_node "${2:-}" ;;
  stop-node) cmd_stop_node "${2:-}" ;;
  start-node) cmd_start_node "${2:-}" ;;
  *) usage ;;
esac
