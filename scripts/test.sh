#!/usr/bin/env bash
# Runs the whole test suite: the Rust tests (unit, end-to-end, doc), then the browser
# accessibility tests (axe-core and a keyboard path in Debian's Chromium, scripts/browser-tests.sh).
# On SQLite by default; set ISTANZE_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432)
# to run the Rust tests on PostgreSQL, one fresh database a test. The browser tests drive a demo
# server with its own SQLite database whatever the setting: ISTANZE_BROWSER_TESTS=0 leaves them
# out of a second run on another database (CI runs them once, on the SQLite run).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-system-deps.sh
./scripts/test-tools.sh
export ISTANZE_TEST_PYTHON="$PWD/target/test-tools/venv/bin/python"
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --workspace "$@"
# With arguments (a filter for cargo test), only what was asked for runs.
if [ "${ISTANZE_BROWSER_TESTS:-1}" != "0" ] && [ "$#" -eq 0 ]; then
  ./scripts/browser-tests.sh
fi
