#!/usr/bin/env bash
# Runs the Lianxin services on this machine (after deploy/local/infra.sh up), loads the demo
# data and prints the URLs.
#
#   deploy/local/services.sh start    start every service that exists, wait until ready, load demo data
#   deploy/local/services.sh status   which services run, restarts, crash loops given up
#   deploy/local/services.sh stop     stop them (also a service whose pid file was lost)
#
# Each service runs under deploy/local/supervise.py, which restarts it when it dies (backoff
# 0.5 s doubling to 30 s; 5 exits within 60 s is a crash loop: logged, then given up). The pid
# file $STATE/run/<name>.pid names the supervisor, <name>.state.json says how the service fares.
# LIANXIN_DEMO=0 skips the demo data (the chaos run starts the services empty).
# LIANXIN_COUNTY (default 430321, Xiangtan County; empty: none) runs the county's dashboard
# (县级驾驶舱) as projection-county on LIANXIN_COUNTY_PORT (8105): the projection configured for
# the county's code, rolling up its towns (home schema `county` in the projection's database).
# LIANXIN_PROJECTION_WORKERS=N (default 1) runs N projection workers in one consumer group: the
# projection service itself and N-1 supervised `projection.worker_main` processes
# (projection-worker-2 ... -N), sharing the topics' partitions.
# Needs KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL (eval "$(deploy/local/infra.sh env)"); each
# service gets its own database: the DATABASE_URL's database name is replaced by the service's.
# Ports: LIANXIN_PROJECTION_PORT, LIANXIN_RELIEF_PORT, LIANXIN_FUNDS_PORT,
# LIANXIN_SUPERVISION_PORT, LIANXIN_PARTY_PORT (default 8100, 8101, 8102, 8103, 8104); a second
# runner with a state dir and ports of its own runs beside the first (the end-to-end test does).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${LIANXIN_STATE_DIR:-$REPO/.local}"
PY="$REPO/.venv/bin/python"
LOGS="$STATE/logs"
RUN="$STATE/run"
SUPERVISE="$REPO/deploy/local/supervise.py"
COUNTY="${LIANXIN_COUNTY-430321}"
COUNTY_PORT="${LIANXIN_COUNTY_PORT:-8105}"
# name:port, in the order their demo data is loaded (party members first: the others refer to
# them; relief before funds: funds judges beneficiaries by relief's households).
SERVICES=(
  "projection:${LIANXIN_PROJECTION_PORT:-8100}"
  "party:${LIANXIN_PARTY_PORT:-8104}"
  "relief:${LIANXIN_RELIEF_PORT:-8101}"
  "supervision:${LIANXIN_SUPERVISION_PORT:-8103}"
  "funds:${LIANXIN_FUNDS_PORT:-8102}"
)

say() { printf '[services] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

exists() { [ -f "$REPO/services/$1/$1/main.py" ]; }
pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }
state_of() { echo "$RUN/$1.state.json"; }
# The pid of the service process itself (not its supervisor), from the supervisor's state.
child_of() {
  sed -n 's/.*"child_pid": \([0-9][0-9]*\).*/\1/p' "$(state_of "$1")" 2>/dev/null || true
}
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
port_of() {
  local entry
  for entry in "${SERVICES[@]}"; do
    if [ "${entry%%:*}" = "$1" ]; then echo "${entry##*:}"; fi
  done
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

db_url_for() {
  # postgresql+asyncpg://user@host:port/lianxin -> .../<service>
  printf '%s/%s' "${DATABASE_URL%/*}" "$1"
}

wait_ready() {
  local name=$1 port=$2 deadline=$((SECONDS + ${LIANXIN_READY_TIMEOUT:-90}))
  until "$PY" - "$port" <<'PYEOF' 2>/dev/null; do
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health/ready", timeout=2)
PYEOF
    if ! alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited during start (log: $LOGS/$name.log)"
    fi
    ((SECONDS < deadline)) || { tail -n 30 "$LOGS/$name.log" >&2; die "$name not ready in time"; }
    sleep 0.5
  done
}

cmd_start() {
  [ -n "${DATABASE_URL:-}" ] && [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ] \
    || die 'DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS are not set: eval "$(deploy/local/infra.sh env)"'
  [ -x "$PY" ] || die "no virtualenv: run 'make venv' first"
  mkdir -p "$LOGS" "$RUN"
  # The token key pair, made on first use by the issuer (never by a service): the services read
  # only the public key (.local/secrets/public/), the demo login and loaders the private one.
  (cd "$REPO" && "$PY" -m shared.auth keys >&2)
  local entry name port extra started=()
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*} port=${entry##*:}
    exists "$name" || continue
    if alive "$name"; then
      say "$name already runs (pid $(pid_of "$name"))"
      continue
    fi
    # Another process on the port would answer the readiness probe in this one's place.
    listening "$port" && die "port $port for $name is in use (set LIANXIN_${name^^}_PORT)"
    # The personal-data secret every service shares (generated once, mode 600, never committed).
    (cd "$REPO" && "$PY" -m shared.personal.secret >/dev/null)
    say "starting $name on :$port (log: $LOGS/$name.log)"
    (
      cd "$REPO"
      # Development mode: LIANXIN_DEV (a missing public key is not fatal) and the demo login
      # (the projection is then an issuer: it reads the private key to sign the demo users in).
      # LIANXIN_TOWNS: the towns a write service serves (Yisuhe and the demo's 花石镇).
      DATABASE_URL="$(db_url_for "$name")" PORT="$port" LIANXIN_DEV=1 LIANXIN_DEMO_LOGIN=1 \
        LIANXIN_TOWNS="${LIANXIN_TOWNS:-430321100,430321106}" \
        setsid nohup "$PY" "$SUPERVISE" run --name "$name" --state "$(state_of "$name")" \
        --stop-timeout 15 -- "$PY" -m "$name.main" >>"$LOGS/$name.log" 2>&1 </dev/null &
      echo $! >"$RUN/$name.pid"
    )
    started+=("$entry")
  done
  exists projection && start_workers
  exists projection && start_county && started+=("projection-county:$COUNTY_PORT")
  for entry in "${started[@]}"; do
    wait_ready "${entry%%:*}" "${entry##*:}"
    say "${entry%%:*} is ready"
  done
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*} port=${entry##*:}
    [ "${LIANXIN_DEMO:-1}" = 1 ] || break
    exists "$name" && [ -f "$REPO/services/$name/$name/demo.py" ] || continue
    say "loading $name demo data"
    # party's appraisal needs supervision's facts, loaded later: its first pass does not wait
    extra=(); [ "$name" = party ] && extra=(--facts-wait 0)
    (cd "$REPO" && "$PY" -m "$name.demo" --base-url "http://127.0.0.1:$port" "${extra[@]}") \
      >>"$LOGS/$name-demo.log" 2>&1 || die "$name demo data failed (log: $LOGS/$name-demo.log)"
  done
  # party's yearly appraisal (年度绩效考核) concludes on supervision's facts, loaded after party's
  # demo: a second, idempotent run of party's loader concludes it once they have arrived.
  if [ "${LIANXIN_DEMO:-1}" = 1 ] && exists party; then
    say "concluding party's appraisal on supervision's facts"
    (cd "$REPO" && "$PY" -m party.demo --base-url "http://127.0.0.1:$(port_of party)" \
      --facts-wait 30) \
      >>"$LOGS/party-demo.log" 2>&1 || die "party demo data failed (log: $LOGS/party-demo.log)"
  fi
  # The second demo town (花石镇): a small data set through the same processes' APIs, with its
  # own users' tokens (their town routes them to its tenant).
  if [ "${LIANXIN_DEMO:-1}" = 1 ] && [[ ",${LIANXIN_TOWNS:-430321100,430321106}," == *,430321106,* ]]; then
    say "loading the second town's demo data (花石镇)"
    local town_args=() svc
    for svc in party relief funds supervision; do
      exists "$svc" && town_args+=("--$svc" "http://127.0.0.1:$(port_of "$svc")")
    done
    (cd "$REPO" && "$PY" -m demo.second_town "${town_args[@]}") >>"$LOGS/second-town-demo.log" 2>&1 \
      || die "second town demo data failed (log: $LOGS/second-town-demo.log)"
  fi
  print_urls
}

# Projection workers beyond the service's own consumer: same database and topics, same group.
start_workers() {
  local i name
  for ((i = 2; i <= ${LIANXIN_PROJECTION_WORKERS:-1}; i++)); do
    name="projection-worker-$i"
    if alive "$name"; then
      say "$name already runs (pid $(pid_of "$name"))"
      continue
    fi
    say "starting $name (log: $LOGS/$name.log)"
    (
      cd "$REPO"
      DATABASE_URL="$(db_url_for projection)" LIANXIN_DEV=1 \
        LIANXIN_WORKER_OF="$(port_of projection)" \
        setsid nohup "$PY" "$SUPERVISE" run --name "$name" --state "$(state_of "$name")" \
        --stop-timeout 15 -- "$PY" -m projection.worker_main >>"$LOGS/$name.log" 2>&1 \
        </dev/null &
      echo $! >"$RUN/$name.pid"
    )
  done
}

# The county's dashboard; true if this call started it.
start_county() {
  local name=projection-county
  [ -n "$COUNTY" ] || return 1
  if alive "$name"; then
    say "$name already runs (pid $(pid_of "$name"))"
    return 1
  fi
  listening "$COUNTY_PORT" && die "port $COUNTY_PORT for $name is in use (set LIANXIN_COUNTY_PORT)"
  say "starting $name (county $COUNTY) on :$COUNTY_PORT (log: $LOGS/$name.log)"
  (
    cd "$REPO"
    DATABASE_URL="$(db_url_for projection)" PORT="$COUNTY_PORT" LIANXIN_DEV=1 \
      LIANXIN_DEMO_LOGIN=1 LIANXIN_PROJECTION_AREA="$COUNTY" LIANXIN_DB_SCHEMA=county \
      setsid nohup "$PY" "$SUPERVISE" run --name "$name" --state "$(state_of "$name")" \
      --stop-timeout 15 -- "$PY" -m projection.main >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN/$name.pid"
  )
}

# Every projection worker this runner started (whatever LIANXIN_PROJECTION_WORKERS says now).
worker_names() {
  local f
  for f in "$RUN"/projection-worker-*.pid; do
    [ -e "$f" ] && basename "$f" .pid
  done
  return 0
}

print_urls() {
  local entry name port
  echo
  echo "Lianxin (连心惠民) is running:"
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*} port=${entry##*:}
    exists "$name" && alive "$name" && printf '  %-12s http://127.0.0.1:%s/docs\n' "$name" "$port"
  done
  if exists projection && alive projection; then
    echo
    echo "  Dashboard (领导驾驶舱): http://127.0.0.1:$(port_of projection)/  — pick a demo user on the login page"
  fi
  if alive projection-county; then
    echo "  County dashboard (县级驾驶舱, $COUNTY): http://127.0.0.1:$COUNTY_PORT/  — a county demo user sees every town"
  fi
  echo "  Tokens for the APIs (15 min): .venv/bin/python -m shared.auth issue --user agriculture --role agriculture_leader"
  echo "  The second town (花石镇) in the same services: add --town 430321106 (users: README)"
  echo "  Revoke one: .venv/bin/python -m shared.auth revoke <jti>"
  echo "  Stop: make stop"
}

# The processes of a service: a supervisor whose pid file was lost, or a service process left
# behind. Both are found by their command line (this checkout's venv: the supervisor's names the
# service's) and the port this runner gave them, so that another runner's are left alone.
lost_pids() {
  local name=$1 port candidate
  if [ "$name" = projection-county ]; then
    for candidate in $(pgrep -f -- "$PY -m projection.main" || true); do
      tr '\0' '\n' <"/proc/$candidate/environ" 2>/dev/null | grep -qx "PORT=$COUNTY_PORT" \
        && echo "$candidate"
    done
    return 0
  fi
  if [[ "$name" == projection-worker-* ]]; then
    for candidate in $(pgrep -f -- "$PY -m projection.worker_main" || true); do
      tr '\0' '\n' <"/proc/$candidate/environ" 2>/dev/null \
        | grep -qx "LIANXIN_WORKER_OF=$(port_of projection)" && echo "$candidate"
    done
    return 0
  fi
  port="$(port_of "$name")"
  for candidate in $(pgrep -f -- "$PY -m $name.main" || true); do
    tr '\0' '\n' <"/proc/$candidate/environ" 2>/dev/null | grep -qx "PORT=$port" \
      && echo "$candidate"
  done
  return 0
}

# TERM, then KILL after a deadline, for the given pids.
end_pids() {
  local seconds=$1 deadline pid left
  shift
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    left=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && left=1; done
    ((left)) || return 0
    sleep 0.2
  done
  kill -KILL "$@" 2>/dev/null || true
}

stop_one() {
  local name=$1 pid pids
  pid="$(pid_of "$name")"
  # The supervisor first: it stops the service (SIGTERM, SIGKILL after 15 s) and does not
  # start it again; a service killed first would be restarted.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping $name (supervisor pid $pid)"
    end_pids 20 "$pid"
  fi
  pids="$(lost_pids "$name")"
  if [ -n "$pids" ]; then
    say "stopping $name (pids $(echo $pids))"
    # shellcheck disable=SC2086 # one pid per word
    end_pids 20 $pids
  fi
  rm -f "$RUN/$name.pid"
}

cmd_stop() {
  local entry name
  for name in $(worker_names); do stop_one "$name"; done
  # also what lost its pid file: workers of this runner (matched by LIANXIN_WORKER_OF), the county
  stop_one projection-worker-lost
  stop_one projection-county
  for entry in "${SERVICES[@]}"; do stop_one "${entry%%:*}"; done
}

cmd_status() {
  local entry name code=0 how
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    exists "$name" || continue
    how=""
    [ -f "$(state_of "$name")" ] && how="$("$PY" "$SUPERVISE" show "$(state_of "$name")")"
    if alive "$name"; then
      say "$name runs (supervisor pid $(pid_of "$name"), port ${entry##*:}) — ${how:-no state}"
      # Supervised, but between a crash and its restart: not serving now.
      [[ "$how" == *": running,"* ]] || code=3
    elif [[ "$how" == *": given up"* ]]; then
      say "$name GAVE UP after a crash loop — $how (log: $LOGS/$name.log; 'make run' starts it again)"
      code=3
    else
      say "$name is stopped${how:+ — $how}"
      code=3
    fi
  done
  for name in $(worker_names) $([ -f "$RUN/projection-county.pid" ] && echo projection-county); do
    if alive "$name"; then
      say "$name runs (supervisor pid $(pid_of "$name"))"
    else
      say "$name is stopped"
    fi
  done
  return $code
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
