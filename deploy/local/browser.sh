#!/usr/bin/env bash
# Headless Chromium and a CJK font for the browser tests (pytest -m browser) and screenshots.
#
#   deploy/local/browser.sh          install Debian's chromium and fonts-wqy-microhei if missing
#   deploy/local/browser.sh check    exit 0 if both are present, 3 otherwise (installs nothing)
#
# Idempotent: when both are present it does nothing. Installing needs root (apt-get); without it
# the script says which packages to install. Playwright drives /usr/bin/chromium; do not run
# `playwright install` (it downloads its own browser, which fails on these machines).
set -euo pipefail

CHROMIUM="${LIANXIN_CHROMIUM:-/usr/bin/chromium}"
PACKAGES=(chromium fonts-wqy-microhei)

say() { printf '[browser] %s\n' "$*" >&2; }

have_chromium() { [ -x "$CHROMIUM" ]; }
have_font() {
  if command -v fc-list >/dev/null 2>&1; then
    fc-list 2>/dev/null | grep -qi -e 'wqy' -e 'noto sans cjk' -e 'noto serif cjk'
  else
    [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]
  fi
}

missing() {
  local list=()
  have_chromium || list+=(chromium)
  have_font || list+=(fonts-wqy-microhei)
  printf '%s\n' "${list[@]}"
}

cmd_check() {
  local todo
  todo="$(missing)"
  if [ -z "$todo" ]; then
    say "chromium ($CHROMIUM) and a CJK font are present"
    return 0
  fi
  say "missing: $(echo "$todo" | tr '\n' ' ')"
  return 3
}

cmd_install() {
  local todo
  todo="$(missing)"
  if [ -z "$todo" ]; then
    say "chromium ($CHROMIUM) and a CJK font are present; nothing to do"
    return 0
  fi
  # shellcheck disable=SC2206
  local pkgs=($todo)
  if [ "$(id -u)" -ne 0 ]; then
    say "need root to install: ${pkgs[*]}"
    say "run: sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}"
    return 1
  fi
  command -v apt-get >/dev/null 2>&1 || {
    say "apt-get not found: install ${pkgs[*]} with this system's package manager"
    return 1
  }
  say "installing ${pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when the first try cannot find the packages.
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2
  fi
  if command -v fc-cache >/dev/null 2>&1; then fc-cache -f >/dev/null 2>&1 || true; fi
  cmd_check
}

case "${1:-install}" in
  install) cmd_install ;;
  check) cmd_check ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
