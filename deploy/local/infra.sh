#!/usr/bin/env bash
# Local infrastructure for Lianxin (Kafka + PostgreSQL) without Docker: the one entry point.
#
#   deploy/local/infra.sh up       install what is missing, start what is not running, wait
#                                  until both are ready, print the env lines (stdout)
#   deploy/local/infra.sh status   what runs; exit 0 if both are up, 3 otherwise
#   deploy/local/infra.sh down     stop both (also a server whose pid file was lost)
#   deploy/local/infra.sh clean    down + delete the data (the downloaded jars are kept)
#   deploy/local/infra.sh env      print the env lines: eval "$(deploy/local/infra.sh env)"
#
# Every command is idempotent. Progress goes to stderr and only `export ...` lines to stdout,
# so `eval "$(deploy/local/infra.sh up)"` works. Settings (environment):
#   LIANXIN_STATE_DIR              where all state lives (default <repo>/.local, git-ignored)
#   LIANXIN_KAFKA_PORT             Kafka client port (default 19092)
#   LIANXIN_KAFKA_CONTROLLER_PORT  KRaft controller port (default 19093)
#   LIANXIN_KAFKA_BROKERS          Kafka nodes (default 1); 3 = a KRaft cluster on loopback, node N
#                                  on the ports above + 2*(N-1), topics replicated 3 times with
#                                  min.insync.replicas=2; `kafka.sh kill-node|stop-node|start-node N`
#                                  stop and restart one node (see kafka.sh)
#   LIANXIN_PG_PORT                PostgreSQL port (default 15432)
#   LIANXIN_PG_FAST=1              synchronous_commit=off (faster tests, fsync stays on)
#   LIANXIN_READY_TIMEOUT          seconds `up` waits for readiness (default 90)
#   LIANXIN_STOP_TIMEOUT           seconds `down` waits before SIGKILL (default 30)
# Details and the facts learnt on this machine: deploy/local/README.md.
set -euo pipefail

LOG_TAG=infra
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_SH="$LOCAL_DIR/kafka.sh"
POSTGRES_SH="$LOCAL_DIR/postgres.sh"

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd_up() {
  take_lock
  local t0=$SECONDS kafka_job pg_job failed=0
  # Both start at once: Kafka's JVM start and initdb/PostgreSQL's start overlap, which saves
  # several seconds on a fresh machine. Their env lines are printed once, below, together.
  "$KAFKA_SH" up >/dev/null &
  kafka_job=$!
  "$POSTGRES_SH" up >/dev/null &
  pg_job=$!
  wait "$kafka_job" || failed=1
  wait "$pg_job" || failed=1
  ((failed == 0)) || die "not everything came up (see the messages above); '$0 status' tells what runs"
  info "Kafka and PostgreSQL are ready ($((SECONDS - t0))s)"
  cmd_env
}

cmd_status() {
  local rc=0
  "$KAFKA_SH" status || rc=3
  "$POSTGRES_SH" status || rc=3
  return "$rc"
}

cmd_down() {
  take_lock
  "$KAFKA_SH" down
  "$POSTGRES_SH" down
}

cmd_clean() {
  take_lock
  "$KAFKA_SH" clean
  "$POSTGRES_SH" clean
}

cmd_env() {
  "$KAFKA_SH" env
  "$POSTGRES_SH" env
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  clean) cmd_clean ;;
  env) cmd_env ;;
  *) usage ;;
esac
