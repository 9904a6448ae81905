#!/usr/bin/env bash
# Local PostgreSQL cluster for development and tests, without Docker.
#
#   deploy/local/postgres.sh {up|status|down|clean|env}
#
# A private cluster run from the server binaries of Debian's packages
# (/usr/lib/postgresql/<version>/bin), not the system's "main" cluster and not its service.
# Normally called by deploy/local/infra.sh; see deploy/local/README.md.
#
# State (under $LIANXIN_STATE_DIR, default <repo>/.local):
#   pg/data/               the cluster (PGDATA; postmaster.pid in it is the pid file)
#   pg/data/lianxin.conf   our settings, rewritten at every start, included by postgresql.conf
#   pg/run/                the unix socket directory
#   pg/supervise.pid       pid of the supervisor (supervise.py) running `postgres -D` in the
#                          foreground and restarting it when the postmaster dies
#   pg/supervise.json      the supervisor's state: running/restarting/given up, restarts, last exit
#   logs/postgres.log      server log
#
# PostgreSQL refuses to run as root. When this script runs as root, the cluster belongs to the
# `postgres` OS user (created by the Debian package) and every server command runs through
# `runuser -u postgres --`.
set -euo pipefail

LOG_TAG=postgres
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_HOME="$STATE_DIR/pg"
PGDATA_DIR="$PG_HOME/data"
SOCKET_DIR="$PG_HOME/run"
LOG_FILE="$LOG_DIR/postgres.log"
OUR_CONF="$PGDATA_DIR/lianxin.conf"
SUP_PID_FILE="$PG_HOME/supervise.pid"
SUP_STATE="$PG_HOME/supervise.json"
PG_USER=lianxin
# `lianxin` is for the tests; the others are the services' own databases.
DATABASES=(lianxin relief funds supervision party projection)
PG_OS_USER=postgres
PG_BIN="" # set by find_pg_bin

usage() {
  echo "usage: $0 {up|status|down|clean|env}" >&2
  exit 2
}

# Binaries -------------------------------------------------------------------------------------
# The newest installed server, unless the cluster exists already: then the version that made it
# (a cluster cannot be opened by another major version without pg_upgrade).
find_pg_bin() {
  local version
  if [[ -f "$PGDATA_DIR/PG_VERSION" ]]; then
    version="$(cat "$PGDATA_DIR/PG_VERSION")"
    [[ -x "/usr/lib/postgresql/$version/bin/postgres" ]] ||
      die "$PGDATA_DIR was created by PostgreSQL $version, which is not installed: apt-get install postgresql-$version, or '$0 clean' to start afresh"
  else
    version="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null |
      awk -F/ '{print $5}' | sort -V | tail -n 1)"
    [[ -n "$version" ]] || return 1
  fi
  PG_BIN="/usr/lib/postgresql/$version/bin"
}

install_postgres() {
  if ! is_root; then
    die "the PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/postgres): install Debian's package 'postgresql' (sudo apt-get install postgresql) and run again"
  fi
  local apt_log="$LOG_DIR/apt-postgresql.log" t0=$SECONDS
  info "the PostgreSQL server is not installed: apt-get install postgresql (log: $apt_log)"
  # Non-interactive: no debconf questions, no pager. The package also creates (and may start)
  # the system's own "main" cluster on 5432; ours is separate and does not use it.
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; } >"$apt_log" 2>&1 9>&-; then
    show_log_tail "$apt_log"
    die "apt-get install postgresql failed"
  fi
  info "installed PostgreSQL in $((SECONDS - t0))s"
}

# Running as the cluster's owner ---------------------------------------------------------------
# Run a command as the owner of the cluster: `postgres` when we are root, ourselves otherwise.
# From `/`: the server tools fail when the current directory is not readable by their user, and
# the caller's may be /root. 9>&- keeps the lock (common.sh) out of the long-lived server.
as_owner() {
  if is_root; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

# When root: the postgres user must be able to reach the data dir and the log file through
# every parent folder (e.g. a clone under /root, mode 700, or a umask of 077). Grant search
# permission (o+x: enter, not list) where it is missing, and say so.
ensure_traversable() {
  is_root || return 0
  id -u "$PG_OS_USER" >/dev/null 2>&1 ||
    die "the '$PG_OS_USER' OS user is missing (Debian's postgresql-common package creates it): apt-get install --reinstall postgresql-common"
  local target dir part
  local -a parts
  for target in "$@"; do
    dir=""
    IFS=/ read -r -a parts <<<"${target#/}"
    for part in "${parts[@]}"; do
      dir="$dir/$part"
      [[ -d "$dir" ]] || break
      if ! runuser -u "$PG_OS_USER" -- test -x "$dir" 2>/dev/null; then
        chmod o+x "$dir"
        info "note: granted o+x on $dir so that the '$PG_OS_USER' user can reach $target"
      fi
    done
  done
}

# Cluster setup --------------------------------------------------------------------------------
prepare_dirs() {
  mkdir -p "$PG_HOME" "$LOG_DIR"
  ensure_traversable "$PG_HOME" "$LOG_DIR"
  mkdir -p "$PGDATA_DIR" "$SOCKET_DIR"
  touch "$LOG_FILE"
  if is_root; then
    chown "$PG_OS_USER:" "$PGDATA_DIR" "$SOCKET_DIR" "$LOG_FILE"
  fi
  # PostgreSQL insists on 0700 (or 0750) for its data directory.
  chmod 700 "$PGDATA_DIR"
}

init_cluster() {
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] && return 0
  local locale
  info "initdb $PGDATA_DIR (superuser $PG_USER, trust auth, UTF8)"
  # C.UTF-8 sorts by code point like C but is UTF-8 aware; a minimal system may lack it.
  for locale in C.UTF-8 C; do
    find "$PGDATA_DIR" -mindepth 1 -delete # initdb wants an empty directory
    if as_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" --auth=trust --username="$PG_USER" \
      -E UTF8 --locale="$locale" >>"$LOG_FILE" 2>&1; then
      break
    fi
    [[ "$locale" == C ]] && {
      show_log_tail "$LOG_FILE"
      die "initdb failed"
    }
    info "initdb with locale C.UTF-8 failed; retrying with locale C"
  done
  echo "include_if_exists = 'lianxin.conf'" >>"$PGDATA_DIR/postgresql.conf"
}

# Our settings; rewritten at every `up`, so a change of port or of LIANXIN_PG_FAST applies.
render_conf() {
  cat <<EOF
# Generated by deploy/local/postgres.sh: edit the script, not this file.
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${SOCKET_DIR}'
max_connections = 200
shared_buffers = 256MB
# fsync stays on: a crash of the box must not corrupt the cluster. LIANXIN_PG_FAST=1 trades
# the last few hundred ms of commits on a crash for faster tests; it cannot corrupt anything.
synchronous_commit = $([[ "${LIANXIN_PG_FAST:-0}" == 1 ]] && echo off || echo on)
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

write_conf() {
  render_conf >"$OUR_CONF"
  is_root && chown "$PG_OS_USER:" "$OUR_CONF"
  return 0
}

# Processes ------------------------------------------------------------------------------------
# Our postmaster: the postgres process started with -D <our data dir>. Its children rename
# themselves ("postgres: checkpointer"), so only the postmaster matches.
find_postmaster_pids() {
  find_pids_by_cmdline "bin/postgres -D $PGDATA_DIR " | filter_by_comm postgres
}

postmaster_pid() {
  local pid=""
  [[ -f "$PGDATA_DIR/postmaster.pid" ]] && pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
  if pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]]; then
    echo "$pid"
    return 0
  fi
  find_postmaster_pids | head -n 1
}

pg_ready() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres
}

psql_admin() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"
}

start_server() {
  # No postmaster of ours runs (checked by the caller), so a postmaster.pid or socket lock left
  # by a killed server is stale; after a container restart its pid may even belong to another
  # process, which would make the server refuse to start.
  rm -f "$PGDATA_DIR/postmaster.pid" "$SOCKET_DIR"/.s.PGSQL.*
  rotate_log "$LOG_FILE"
  touch "$LOG_FILE"
  is_root && chown "$PG_OS_USER:" "$LOG_FILE"
  # `postgres -D` in the foreground under supervise.py (not pg_ctl, which detaches it): the
  # supervisor restarts a postmaster that died (kill -9 included; PostgreSQL then runs crash
  # recovery itself, and a postmaster.pid left behind is recognised as stale) and stops it with
  # SIGINT, the fast shutdown. As root the supervisor stays root and runs the server as the
  # `postgres` user (no runuser in between: it would turn the SIGINT into a SIGTERM). setsid
  # nohup: it outlives this script; 9>&- keeps the lock fd out of it.
  local as_user=()
  is_root && as_user=(--user "$PG_OS_USER")
  (
    cd /
    exec setsid nohup python3 "$SUPERVISE_PY" run --name postgres --state "$SUP_STATE" \
      --stop-signal INT --stop-timeout "$((STOP_TIMEOUT > 10 ? STOP_TIMEOUT - 5 : STOP_TIMEOUT))" \
      "${as_user[@]}" --cwd / -- "$PG_BIN/postgres" -D "$PGDATA_DIR" \
      >>"$LOG_FILE" 2>&1 </dev/null 9>&-
  ) &
  echo "$!" >"$SUP_PID_FILE"
}

our_supervisor() { supervisor_pid "$SUP_STATE" "$SUP_PID_FILE"; }

# Bounded wait for a server that is (re)starting; also covers the reuse case.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) supervisor
  supervisor="$(our_supervisor)"
  until pg_ready; do
    if [[ -n "$supervisor" ]] && ! pid_alive "$supervisor"; then
      show_log_tail "$LOG_FILE" 60
      supervisor_summary "$SUP_STATE" >&2
      die "PostgreSQL exited during startup and its supervisor gave up"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$LOG_FILE" 60
      die "PostgreSQL was not ready on 127.0.0.1:$PG_PORT after ${READY_TIMEOUT}s"
    fi
    sleep 0.3
  done
}

ensure_databases() {
  local existing db created=()
  existing="$(psql_admin -A -t -c 'SELECT datname FROM pg_database')"
  for db in "${DATABASES[@]}"; do
    if ! grep -qx "$db" <<<"$existing"; then
      psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$PG_USER\""
      created+=("$db")
    fi
  done
  ((${#created[@]} == 0)) || info "created databases: ${created[*]}"
}

# The port a running cluster was started with (from the conf it read).
running_port() { sed -n 's/^port = //p' "$OUR_CONF" 2>/dev/null; }

# Sub-commands ---------------------------------------------------------------------------------
cmd_up() {
  check_port_number LIANXIN_PG_PORT "$PG_PORT"
  take_lock
  mkdir -p "$LOG_DIR"
  local t0=$SECONDS pid
  if ! find_pg_bin; then
    install_postgres
    find_pg_bin || die "no PostgreSQL server under /usr/lib/postgresql after installing"
  fi
  local supervisor
  supervisor="$(our_supervisor)"
  pid="$(postmaster_pid)"
  if [[ -n "$supervisor" && -z "$pid" ]]; then
    # Between a crash and its restart: the supervisor brings it back; wait for that.
    [[ "$(running_port)" == "$PG_PORT" ]] ||
      die "the supervised cluster listens on port $(running_port), not $PG_PORT; run '$0 down' first"
    info "being restarted by its supervisor (pid $supervisor): waiting"
    wait_ready
  elif [[ -n "$pid" ]]; then
    [[ "$(running_port)" == "$PG_PORT" ]] ||
      die "the running cluster listens on port $(running_port), not $PG_PORT; run '$0 down' first"
    info "already running (pid $pid) on 127.0.0.1:$PG_PORT: reusing it"
    [[ -n "$supervisor" ]] ||
      info "note: this server was started without a supervisor (nothing restarts it if it dies); '$0 down' and up again to supervise it"
    # Settings other than the port (LIANXIN_PG_FAST) can change without a restart.
    if [[ "$(render_conf)" != "$(cat "$OUR_CONF" 2>/dev/null)" ]]; then
      write_conf
      kill -HUP "$pid"
      info "settings changed: configuration reloaded"
    fi
    wait_ready
  else
    # No cluster of ours runs: anything on the port belongs to someone else.
    if port_open "$PG_PORT"; then
      die "port $PG_PORT is already in use by another process (not our cluster); set LIANXIN_PG_PORT"
    fi
    require_python
    prepare_dirs
    init_cluster
    write_conf
    info "starting PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT; log: $LOG_FILE"
    start_server
    wait_ready
  fi
  ensure_databases
  info "ready on 127.0.0.1:$PG_PORT ($((SECONDS - t0))s)"
  cmd_env
}

cmd_status() {
  local pid supervisor
  pid="$(postmaster_pid)"
  supervisor="$(our_supervisor)"
  # How the supervisor fares (restarts, last exit, a crash loop given up); nothing after a stop.
  [[ "$(supervisor_summary "$SUP_STATE")" == *": stopped,"* ]] ||
    supervisor_summary "$SUP_STATE" | sed 's/^/  supervisor: /'
  if [[ -z "$pid" ]]; then
    if [[ -n "$supervisor" ]]; then
      echo "postgres: restarting under its supervisor (pid $supervisor)"
    else
      echo "postgres: not running"
    fi
    return 3
  fi
  if port_open "$PG_PORT"; then
    [[ -n "$supervisor" ]] || echo "  (not supervised: started before supervision; '$0 down' and up again to supervise it)"
    echo "postgres: running (pid $pid) on 127.0.0.1:$PG_PORT, data $PGDATA_DIR"
    return 0
  fi
  echo "postgres: process $pid is running but 127.0.0.1:$PG_PORT does not answer (starting, or stuck: see $LOG_FILE)"
  return 3
}

# SIGINT, not SIGTERM: for the postmaster SIGTERM is a "smart" shutdown that waits for every
# client to disconnect (a service left running, a pool) and would always end in SIGKILL;
# SIGINT is the "fast" shutdown (what `pg_ctl stop -m fast` sends): clients are disconnected,
# a checkpoint is written, and the next start needs no recovery. SIGKILL remains the last
# resort after $STOP_TIMEOUT seconds, and then the orphaned backends are killed as well.
stop_postmaster() {
  local pid="$1" children child
  children="$(ps -o pid= --ppid "$pid" 2>/dev/null || true)"
  stop_pid "$pid" "PostgreSQL" INT
  for child in $children; do
    if pid_alive "$child" && [[ "$(cat "/proc/$child/comm" 2>/dev/null)" == postgres ]]; then
      kill -KILL "$child" 2>/dev/null || true
    fi
  done
}

cmd_down() {
  take_lock
  local pids pid
  # The supervisor first: it stops the postmaster (SIGINT, fast shutdown) and does not start
  # it again. Then any postmaster of ours left (unsupervised, or past the supervisor's deadline).
  pid="$(our_supervisor)"
  [[ -z "$pid" ]] || stop_pid "$pid" "PostgreSQL's supervisor"
  rm -f "$SUP_PID_FILE"
  pids="$({
    postmaster_pid
    find_postmaster_pids
  } | sort -un)"
  if [[ -z "$pids" ]]; then
    info "not running"
    return 0
  fi
  for pid in $pids; do
    stop_postmaster "$pid"
  done
}

cmd_clean() {
  cmd_down
  info "removing $PGDATA_DIR"
  rm -rf "$PGDATA_DIR" "$SOCKET_DIR" "$LOG_FILE" "$LOG_FILE.1" "$SUP_STATE"
}

cmd_env() {
  echo "export DATABASE_URL=postgresql+asyncpg://$PG_USER@127.0.0.1:$PG_PORT/lianxin"
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  clean) cmd_clean ;;
  env) cmd_env ;;
  *) usage ;;
esac
