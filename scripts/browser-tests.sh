#!/usr/bin/env bash
# Runs the browser accessibility tests (tests/browser/a11y.mjs): axe-core on every page of the
# citizen path and a keyboard-only form fill, in Debian's Chromium, against a demo server started
# here in a temporary directory (its own SQLite database and data dir, a free loopback port, the
# repository's forms/). Exits with the test script's status.
#
# ISTANZE_BIN=/path/to/istanze uses that server binary instead of building it with cargo.
# CHROMIUM=/path/to/chromium uses another Chromium than /usr/bin/chromium.
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
repo="$PWD"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# Debian's Chromium: Playwright never downloads a browser here.
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing system packages: chromium chromium-driver"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

if ! command -v node >/dev/null 2>&1 || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  echo "browser-tests: Node.js 20 or later is needed (playwright-core)" >&2
  exit 1
fi

# playwright-core and axe-core, exactly as locked; again when the lock file changed.
browser_dir=tests/browser
if [ ! -f "$browser_dir/node_modules/.package-lock.json" ] ||
  [ "$browser_dir/package-lock.json" -nt "$browser_dir/node_modules/.package-lock.json" ] ||
  [ "$browser_dir/package.json" -nt "$browser_dir/node_modules/.package-lock.json" ]; then
  (cd "$browser_dir" && npm ci --no-audit --no-fund)
fi

if [ -n "${ISTANZE_BIN:-}" ]; then
  bin="$ISTANZE_BIN"
  case "$bin" in /*) ;; *) bin="$caller_dir/$bin" ;; esac
else
  ./scripts/install-system-deps.sh
  export PATH="$HOME/.cargo/bin:$PATH"
  cargo build -p istanze-server --bin istanze
  target_dir="${CARGO_TARGET_DIR:-target}"
  case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
  bin="$target_dir/debug/istanze"
fi
[ -x "$bin" ] || { echo "browser-tests: no server binary at $bin" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/istanze-browser.XXXXXX")"
server_pid=""
tests_ran=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -z "$tests_ran" ] && [ -f "$work/server.log" ]; then
    echo "--- last lines of the server log ($work/server.log)" >&2
    tail -n 40 "$work/server.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port (the kernel picks it; the server binds it a moment later).
port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
url="http://127.0.0.1:$port"
mkdir -p "$work/data"

# The demo settings (config/default.toml), with the address, data and forms overridden by
# ISTANZE__SECTION__KEY variables; the database defaults to <data_dir>/istanze.db.
(
  cd "$work"
  # Nothing of the caller's own configuration (a PostgreSQL URL, say) reaches this server.
  while read -r name; do unset "$name"; done < <(compgen -e | grep '^ISTANZE__' || true)
  export ISTANZE__SERVER__BIND="127.0.0.1:$port"
  export ISTANZE__SERVER__DEMO=true
  export ISTANZE__SERVER__DATA_DIR="$work/data"
  export ISTANZE__FORMS__DIR="$repo/forms"
  export RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm_migration=warn}"
  export NO_COLOR=1
  exec "$bin" serve
) >"$work/server.log" 2>&1 &
server_pid=$!

echo "Waiting for the server at $url"
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "browser-tests: the server stopped while starting" >&2
    exit 1
  fi
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/healthz"; then
    break
  fi
  sleep 0.5
done
node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/healthz" ||
  { echo "browser-tests: the server did not answer at $url/healthz within 60 s" >&2; exit 1; }

status=0
tests_ran=1
ISTANZE_URL="$url" node "$browser_dir/a11y.mjs" || status=$?
exit "$status"
