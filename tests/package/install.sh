#!/usr/bin/env bash
# The package test: builds the .deb, installs it with dpkg, then checks the
# installed CLI and starts the installed app under Xvfb until its first screen
# is ready. Prints "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
passed=0
failed=0
check() { # check NAME COMMAND...
  if "${@:2}"; then
    echo "ok - $1"
    passed=$((passed + 1))
  else
    echo "not ok - $1"
    failed=$((failed + 1))
  fi
}

deb="$(bash "$ROOT/scripts/package" | tail -n 1)"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
installed() {
  $sudo dpkg -i "$deb" >/dev/null 2>&1 || $sudo env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >/dev/null
  dpkg-query -W -f='${Status}' aws-setup-wizard 2>/dev/null | grep -q "install ok installed"
}
check "the .deb installs with dpkg" installed
check "the CLI is installed beside the app" test -x /usr/bin/aws-setup -a -x /usr/bin/aws-setup-wizard
version="$(grep -m1 '^version' "$ROOT/Cargo.toml" | cut -d'"' -f2)"
check "the installed aws-setup --version answers $version" bash -c "/usr/bin/aws-setup --version | grep -qx 'aws-setup $version'"
check "the desktop entry is installed" test -f /usr/share/applications/AWS\ Setup\ Wizard.desktop

first_screen() {
  local out
  out="$(mktemp)"
  AWS_SETUP_REPORT_READY=1 timeout 60 "$ROOT/scripts/lib/hermetic" bash -c '
    /usr/bin/aws-setup-wizard & pid=$!
    for _ in $(seq 1 600); do
      sleep 0.1
      kill -0 $pid 2>/dev/null || exit 1
    done' >"$out" 2>/dev/null &
  local runner=$!
  for _ in $(seq 1 600); do
    grep -q first-screen-ready-ms "$out" && break
    sleep 0.1
  done
  pkill -KILL -f '^/usr/bin/aws-setup-wizard' 2>/dev/null
  kill "$runner" 2>/dev/null
  grep -q first-screen-ready-ms "$out"
}
check "the installed app opens its first screen under Xvfb" first_screen

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
