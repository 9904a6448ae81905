# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings below are used by the scripts that source this file
# Shared helpers for deploy/local/*.sh. Sourced, never executed.
#
# Conventions:
#   - progress and errors go to stderr, so that `eval "$(deploy/local/infra.sh up)"` only ever
#     sees the `export ...` lines that the scripts print on stdout;
#   - every path is absolute: the scripts may be called from any working directory, and the
#     PostgreSQL server runs as another OS user from `/`.

# Paths ----------------------------------------------------------------------------------------
LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd -P)"
# realpath -m: the state dir may not exist yet, and a relative value must not depend on the cwd
# of whichever later command reads it.
STATE_DIR="$(realpath -m "${LIANXIN_STATE_DIR:-$REPO_ROOT/.local}")"
LOG_DIR="$STATE_DIR/logs"
export LIANXIN_STATE_DIR="$STATE_DIR"

# Ports ----------------------------------------------------------------------------------------
KAFKA_PORT="${LIANXIN_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${LIANXIN_KAFKA_CONTROLLER_PORT:-19093}"
PG_PORT="${LIANXIN_PG_PORT:-15432}"

# How long `up` waits for a server to become ready, and `down` for it to exit before SIGKILL.
READY_TIMEOUT="${LIANXIN_READY_TIMEOUT:-90}"
STOP_TIMEOUT="${LIANXIN_STOP_TIMEOUT:-30}"

# Messages -------------------------------------------------------------------------------------
# $LOG_TAG is set by each script ("kafka", "postgres", "infra") before sourcing this file.
info() { printf '[%s] %s\n' "${LOG_TAG:-local}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${LOG_TAG:-local}" "$*" >&2
  exit 1
}

# Print the last lines of a log file to stderr (used when a server fails to come up).
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(%s is empty or missing)\n' "$file" >&2
  fi
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

check_port_number() {
  local name="$1" value="$2"
  if [[ ! "$value" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    die "$name must be a TCP port number, got '$value'"
  fi
}

# Processes ------------------------------------------------------------------------------------
pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# The command line of a process with its NUL separators turned into spaces ("" if it is gone).
proc_cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true; }

# Print the pids (one per line) of the processes whose command line contains every given
# string. Fixed strings, not regexes: a state dir path may contain regex characters, and pgrep
# would also match this very shell if the strings were on its own command line.
find_pids_by_cmdline() {
  local dir pid cmd needle ok
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    cmd="$(proc_cmdline "$pid")"
    [[ -n "$cmd" ]] || continue
    ok=1
    for needle in "$@"; do
      [[ "$cmd" == *"$needle"* ]] || {
        ok=0
        break
      }
    done
    ((ok)) && echo "$pid"
  done
  return 0
}

# Keep only the pids (read from stdin) whose executable name (/proc/PID/comm) is $1: a shell or
# an editor whose command line merely mentions the same strings is not a server.
filter_by_comm() {
  local pid
  while read -r pid; do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$1" ]] && echo "$pid"
  done
  return 0
}

# stop_pid PID NAME [SIGNAL]: send SIGNAL (default TERM), wait up to $STOP_TIMEOUT seconds for
# the process to exit, then SIGKILL it. A clean shutdown matters: Kafka flushes its logs and
# PostgreSQL writes a shutdown checkpoint, so the next start does no recovery.
stop_pid() {
  local pid="$1" name="$2" sig="${3:-TERM}" waited=0
  pid_alive "$pid" || return 0
  info "stopping $name (pid $pid, SIG$sig)"
  kill "-$sig" "$pid" 2>/dev/null || true
  while pid_alive "$pid" && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    info "$name (pid $pid) still running after ${STOP_TIMEOUT}s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  # A zombie (not yet reaped by its parent) counts as gone.
  if pid_alive "$pid" && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
    die "could not stop $name (pid $pid)"
  fi
  info "$name stopped"
}

# Supervision ----------------------------------------------------------------------------------
# The servers run under supervise.py (stdlib only: the system's python3, as no venv may exist
# yet), which restarts them after a crash and gives up on a crash loop; see supervise.py.
SUPERVISE_PY="$LOCAL_DIR/supervise.py"

require_python() {
  command -v python3 >/dev/null 2>&1 || die "python3 is required to supervise the servers"
}

# The pid of the supervisor whose state file is $1 (its pid file is $2), or nothing: a pid
# counts only while its command line is supervise.py's with that state file.
supervisor_pid() {
  local state="$1" pid_file="$2" pid=""
  [[ -f "$pid_file" ]] && pid="$(cat "$pid_file" 2>/dev/null || true)"
  if pid_alive "$pid" && [[ "$(proc_cmdline "$pid")" == *"supervise.py run"*"--state $state "* ]]; then
    echo "$pid"
    return 0
  fi
  find_pids_by_cmdline "supervise.py run" "--state $state " | head -n 1
}

# One line about a supervised server (state, pids, restarts, last exit), or nothing.
supervisor_summary() {
  [[ -f "$1" ]] && command -v python3 >/dev/null 2>&1 && python3 "$SUPERVISE_PY" show "$1"
  return 0
}

# Network --------------------------------------------------------------------------------------
# True when something accepts TCP connections on 127.0.0.1:PORT (bash's /dev/tcp, no netcat).
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Files ----------------------------------------------------------------------------------------
# Move a log aside once it passes ~50 MB, so that a long-lived state dir does not fill the disk.
rotate_log() {
  local file="$1"
  if [[ -f "$file" ]] && (($(stat -c %s "$file") > 50 * 1024 * 1024)); then
    mv -f "$file" "$file.1"
  fi
}

# Byte size of a file (0 if missing): lets a readiness check read only what this start logged.
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# Serialise concurrent runs (two terminals, or a test harness racing a developer): the second
# waits for the first instead of both starting a server on the same data dir. A script called
# by infra.sh inherits the lock through LIANXIN_LOCK_HELD and must not take it again.
take_lock() {
  [[ -n "${LIANXIN_LOCK_HELD:-}" ]] && return 0
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  if ! flock -w 120 9; then
    die "another deploy/local script holds $STATE_DIR/.lock for more than 120s"
  fi
  export LIANXIN_LOCK_HELD=1
}
