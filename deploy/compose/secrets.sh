#!/usr/bin/env bash
# The secrets docker-compose.yml reads, made on first use, in the Compose project's .env file
# (next to docker-compose.yml, which `docker compose` reads by itself; git-ignored, mode 600,
# never committed):
#   LIANXIN_PG_PASSWORD       a random PostgreSQL password (URL-safe: it goes into every
#                             service's DATABASE_URL);
#   LIANXIN_PERSONAL_SECRET   the personal-data secret every service shares (64 hex digits:
#                             keyed references of ID numbers, the key topic's wrapping key).
#
#   deploy/compose/secrets.sh [ENV_FILE]     ENV_FILE: default .env at the repository root
#
# Run it once before `docker compose up`; again, it changes nothing: a value already in the
# file is kept (the database volume and the stored keys were made with it). A value set in the
# shell wins over the file (Compose's rule), so then nothing is written for it.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ENV_FILE="${1:-$REPO/.env}"

say() { printf '[compose] %s\n' "$*" >&2; }

# ensure NAME PYTHON_EXPRESSION DESCRIPTION
ensure() {
  local name=$1 make=$2 what=$3
  if [ -n "${!name:-}" ]; then
    say "$name is set in the environment: Compose uses it; nothing written"
    return
  fi
  if [ -f "$ENV_FILE" ] && grep -q "^$name=." "$ENV_FILE"; then
    say "$name: kept in $ENV_FILE"
    return
  fi
  umask 077
  local value tmp
  value="$(python3 -c "import secrets; print($make)")"
  # Written beside the file and moved over it: the other lines are kept, an empty NAME= is
  # replaced, and no half-written file is ever read.
  tmp="$(mktemp "$ENV_FILE.XXXXXX")"
  trap 'rm -f "$tmp"' EXIT
  {
    if [ -f "$ENV_FILE" ]; then grep -v "^$name=" "$ENV_FILE" || true; fi
    printf '# %s (deploy/compose/secrets.sh); never commit\n' "$what"
    printf '%s=%s\n' "$name" "$value"
  } >"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
  trap - EXIT
  say "$name: made in $ENV_FILE (mode 600)"
}

ensure LIANXIN_PG_PASSWORD 'secrets.token_urlsafe(32)' 'PostgreSQL password of docker-compose.yml'
ensure LIANXIN_PERSONAL_SECRET 'secrets.token_hex(32)' 'personal-data secret of docker-compose.yml'
