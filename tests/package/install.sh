#!/usr/bin/env bash
# The package test: builds the .deb, installs it with dpkg, then checks that
# the installed binaries are the ones just built, runs the installed CLI, and
# starts the installed app under Xvfb until its first screen is ready.
# Prints "N passed, N failed". A .deb that was not built stops the test: it
# never falls back to whatever dpkg has installed already.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/scripts/lib/setup.sh"
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

started="$(date +%s)"
deb="$(bash "$ROOT/scripts/package" | tail -n 1)"
[ -f "$deb" ] || die "scripts/package printed '$deb', which is not a file"
[ "$(stat -c %Y "$deb")" -ge "$started" ] || die "$deb is older than this run: the bundler did not write it"
built_cli="$CARGO_TARGET_DIR/release/aws-setup"
built_app="$CARGO_TARGET_DIR/release/aws-setup-wizard"

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
installed() {
  $sudo dpkg -i "$deb" >/dev/null 2>&1 || $sudo env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >/dev/null
  dpkg-query -W -f='${Status}' aws-setup-wizard 2>/dev/null | grep -q "install ok installed"
}
same_file() { [ "$(sha256sum <"$1")" = "$(sha256sum <"$2")" ]; }
# The bundler patches the app's package type into the binary (for the
# updater), so the app is matched by its GNU build id instead of its bytes.
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: //p'; }
same_build() { local id; id="$(build_id "$2")"; [ -n "$id" ] && [ "$(build_id "$1")" = "$id" ]; }
check "the .deb installs with dpkg" installed
check "the installed CLI is the one just built (sha256)" same_file /usr/bin/aws-setup "$built_cli"
check "the installed app is the one just built (GNU build id)" same_build /usr/bin/aws-setup-wizard "$built_app"
no_crash_points() { ! grep -qa -e FAILPOINTS -e 'crash-point ' "$1"; }
check "the release CLI has no crash points" no_crash_points /usr/bin/aws-setup
check "the release app has no crash points" no_crash_points /usr/bin/aws-setup-wizard
version="$(grep -m1 '^version' "$ROOT/Cargo.toml" | cut -d'"' -f2)"
check "the installed aws-setup --version answers $version" bash -c "/usr/bin/aws-setup --version | grep -qx 'aws-setup $version'"
check "the desktop entry is installed" test -f /usr/share/applications/AWS\ Setup\ Wizard.desktop

# credential_process as the AWS CLI runs it: a key put in a fresh keychain,
# served as the JSON the AWS CLI reads, and a clear refusal for a profile with none.
credential_process() {
  "$ROOT/scripts/lib/hermetic" bash -c '
    set -euo pipefail
    printf "%s" "{\"AccessKeyId\":\"AKIAPACKAGETEST00001\",\"SecretAccessKey\":\"package-test-secret\"}" |
      secret-tool store --label=test service aws-setup-wizard username access-key/pkg
    out="$(/usr/bin/aws-setup credential-process --profile pkg)"
    echo "$out" | grep -q "\"Version\":1"
    echo "$out" | grep -q "\"AccessKeyId\":\"AKIAPACKAGETEST00001\""
    if /usr/bin/aws-setup credential-process --profile nobody >/dev/null 2>&1; then exit 1; fi'
}
check "the installed credential-process serves a key from the keychain, and refuses a profile with none" credential_process

# The app is stopped by the PID it was started with, never by name: another
# instance on this machine is left alone.
first_screen() {
  local out
  out="$(mktemp)"
  AWS_SETUP_REPORT_READY=1 timeout 90 "$ROOT/scripts/lib/hermetic" bash -c '
    /usr/bin/aws-setup-wizard >"$1" 2>/dev/null &
    pid=$!
    for _ in $(seq 1 600); do
      if grep -q first-screen-ready-ms "$1"; then kill -KILL "$pid"; exit 0; fi
      kill -0 "$pid" 2>/dev/null || exit 1
      sleep 0.1
    done
    kill -KILL "$pid"
    exit 1' _ "$out"
}
check "the installed app opens its first screen under Xvfb" first_screen

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
