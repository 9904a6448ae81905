#!/usr/bin/env bash
# Builds the dashboard's static assets: ECharts from npm (frontend/package-lock.json) copied to
# projection/static/vendor/ (git-ignored). Idempotent: `npm ci` runs only when node_modules is
# missing or older than the lock file; the copy only when the file differs.
#
#   services/projection/build_static.sh          install (npm ci) and copy
#   services/projection/build_static.sh check    exit 0 if the built assets are present, 3 if not
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FRONTEND="$HERE/frontend"
VENDOR="$HERE/projection/static/vendor"
SOURCE="$FRONTEND/node_modules/echarts/dist/echarts.common.min.js"
TARGET="$VENDOR/echarts.min.js"

say() { printf '[projection static] %s\n' "$*" >&2; }

if [ "${1:-}" = "check" ]; then
  [ -s "$TARGET" ] && exit 0
  say "missing $TARGET: run services/projection/build_static.sh"
  exit 3
fi

if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing npm (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2; } || true
fi
command -v npm >/dev/null 2>&1 || {
  say "npm is required (Debian: apt-get install npm) to install ECharts from the npm registry"
  exit 1
}
stamp="$FRONTEND/node_modules/.package-lock.json"
if [ ! -s "$SOURCE" ] || [ ! -e "$stamp" ] || [ "$FRONTEND/package-lock.json" -nt "$stamp" ]; then
  say "npm ci (echarts, from frontend/package-lock.json)"
  (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$VENDOR"
for pair in "$SOURCE:$TARGET" "$FRONTEND/node_modules/echarts/LICENSE:$VENDOR/ECHARTS-LICENSE.txt"; do
  src="${pair%%:*}" dst="${pair##*:}"
  if ! cmp -s "$src" "$dst" 2>/dev/null; then
    cp "$src" "$dst.tmp" && mv "$dst.tmp" "$dst"
    say "copied $(basename "$src") -> ${dst#"$HERE"/}"
  fi
done
