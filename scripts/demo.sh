#!/usr/bin/env bash
# Starts the demo: SQLite under data/, the forms in forms/, the demo identity provider, on
# http://127.0.0.1:8080. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-system-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release -p istanze-server --bin istanze -- serve "$@"
