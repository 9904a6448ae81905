#!/usr/bin/env bash
# The secrets docker-compose.yml reads, made on first use: a random PostgreSQL password,
# LIANXIN_PG_PASSWORD, in the Compose project's .env file (next to docker-compose.yml, which
# `docker compose` reads by itself; git-ignored, mode 600, never committed).
#
#   deploy/compose/secrets.sh [ENV_FILE]     ENV_FILE: default .env at the repository root
#
# Run it once before `docker compose up`; again, it changes nothing: a password already in the
# file is kept (the database volume was made with it). A LIANXIN_PG_PASSWORD set in the shell
# wins over the file (Compose's rule), so then nothing is written. The password goes into every
# service's DATABASE_URL: it is made of URL-safe characters only (A-Z a-z 0-9 - _).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ENV_FILE="${1:-$REPO/.env}"

say() { printf '[compose] %s\n' "$*" >&2; }

if [ -n "${LIANXIN_PG_PASSWORD:-}" ]; then
  say "LIANXIN_PG_PASSWORD is set in the environment: Compose uses it; nothing written"
  exit 0
fi
if [ -f "$ENV_FILE" ] && grep -q '^LIANXIN_PG_PASSWORD=.' "$ENV_FILE"; then
  say "LIANXIN_PG_PASSWORD: kept in $ENV_FILE"
  exit 0
fi

umask 077
password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
# Written beside the file and moved over it: the other lines are kept, an empty
# LIANXIN_PG_PASSWORD= is replaced, and no half-written file is ever read.
tmp="$(mktemp "$ENV_FILE.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
{
  if [ -f "$ENV_FILE" ]; then grep -v '^LIANXIN_PG_PASSWORD=' "$ENV_FILE" || true; fi
  printf '# PostgreSQL password of docker-compose.yml (deploy/compose/secrets.sh); never commit\n'
  printf 'LIANXIN_PG_PASSWORD=%s\n' "$password"
} >"$tmp"
chmod 600 "$tmp"
mv "$tmp" "$ENV_FILE"
trap - EXIT
say "LIANXIN_PG_PASSWORD: made in $ENV_FILE (mode 600)"
