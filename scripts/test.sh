#!/usr/bin/env bash
# Runs the whole test suite. On SQLite by default; set ISTANZE_TEST_DATABASE_URL
# (e.g. postgres://postgres@127.0.0.1:5432) to run it on PostgreSQL, one fresh database a test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-system-deps.sh
./scripts/test-tools.sh
export ISTANZE_TEST_PYTHON="$PWD/target/test-tools/venv/bin/python"
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo test --workspace "$@"
